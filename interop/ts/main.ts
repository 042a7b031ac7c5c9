// Produces and consumes the kafka-events catalog's events from TypeScript, with the types
// `export-schemas` generates (../../out/typescript/kafka-events.ts), KafkaJS and Ajv, so the
// Rust clients and a TypeScript service are checked against each other through Apache Kafka.
//
//   node dist/interop/ts/main.js produce --brokers 127.0.0.1:9092 --export ../../out [--suffix .staging] [--invalid]
//   node dist/interop/ts/main.js consume --brokers 127.0.0.1:9092 --export ../../out --group g --count 35 [--suffix .staging]
//
// produce writes every example of the export (a fresh event_id each) with the key and headers
// the Rust producer writes, and prints one JSON line per record ({"event_type", "event_id",
// "topic", "partition", "key"}). --invalid writes one combat.player.attack whose weapon_id is
// longer than its schema allows instead. consume reads --count records, validates each value
// against the exported Draft 7 schema of its event_type header (without one, the value's
// event_type) with Ajv, which also types it as the generated `KafkaEvent` union, and prints a
// JSON summary; it exits with status 1 when any record failed.

import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { CompressionCodecs, CompressionTypes, Kafka, Partitioners, logLevel } from "kafkajs";
import * as lz4 from "lz4js";

import type { KafkaEvent } from "../../out/typescript/kafka-events";

/** What the export says of a topic (topics/<topic>.json). */
interface TopicFile {
  topic: string;
  events: { event_type: string; version: string; schema: string; key?: string }[];
}

/** One event of the export: where its files are and how its key is read. */
interface CatalogEvent {
  eventType: KafkaEvent["event_type"];
  topic: string;
  schema: string; // the self-contained schema
  example: string;
  key?: string; // JSON pointer
}

type Catalog = Map<string, CatalogEvent>;

/** What consume prints. */
interface Summary {
  read: number;
  valid: number;
  by_event_type: Record<string, number>;
  event_ids: string[];
  /** The weapon of every combat.player.attack read: a field only the narrowed type has. */
  attack_weapons: string[];
  failures: string[];
}

// The catalog's topics are stored lz4-compressed and KafkaJS brings no lz4 codec of its own.
// lz4js is pure JavaScript (no native build) and reads the LZ4 frames Kafka writes; the broker
// refuses the frames it writes (UNKNOWN_SERVER_ERROR from Kafka 4.4), so this program sends
// uncompressed batches and the topic's `compression.type=lz4` compresses them on the broker.
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async () => {
    throw new Error("lz4js frames are refused by Kafka: send uncompressed, the topic compresses");
  },
  decompress: async (buffer: Buffer) => Buffer.from(lz4.decompress(buffer)),
});

/** Reads every topic file of the export. */
function readCatalog(exportDir: string): Catalog {
  const files = readdirSync(join(exportDir, "topics")).filter((name) => name.endsWith(".json"));
  if (files.length === 0) {
    throw new Error(`no topic files under ${exportDir}/topics: run export-schemas first`);
  }
  const catalog: Catalog = new Map();
  for (const file of files.sort()) {
    const topic = JSON.parse(readFileSync(join(exportDir, "topics", file), "utf8")) as TopicFile;
    for (const event of topic.events) {
      if (!event.schema.startsWith("schemas/")) {
        throw new Error(`${file}: ${event.event_type}: schema path ${event.schema}`);
      }
      const rest = event.schema.slice("schemas/".length);
      catalog.set(event.event_type, {
        eventType: event.event_type as KafkaEvent["event_type"],
        topic: topic.topic,
        schema: join(exportDir, "self-contained", rest),
        example: join(exportDir, "examples", rest),
        key: event.key,
      });
    }
  }
  return catalog;
}

/** The record key as the Rust producer writes it: the key field's value as text. */
function keyOf(envelope: Record<string, unknown>, pointer: string | undefined): string | null {
  if (!pointer) {
    return null;
  }
  let value: unknown = envelope;
  for (const segment of pointer.replace(/^\//, "").split("/")) {
    if (typeof value !== "object" || value === null) {
      throw new Error(`key ${pointer}: not an object at ${segment}`);
    }
    value = (value as Record<string, unknown>)[segment];
  }
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === "string" || typeof value === "number") {
    return String(value);
  }
  throw new Error(`key ${pointer}: a ${typeof value} is not a key`);
}

async function produce(kafka: Kafka, catalog: Catalog, suffix: string, invalid: boolean) {
  // Kafka's murmur2 partitioner for keyed records, as the Rust producer's
  // `partitioner=murmur2_random`; idempotent, acknowledged by all in-sync replicas.
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const selected = invalid ? ["combat.player.attack"] : [...catalog.keys()].sort();
    for (const name of selected) {
      const event = catalog.get(name);
      if (!event) {
        throw new Error(`${name} is not in the export`);
      }
      const envelope = JSON.parse(readFileSync(event.example, "utf8")) as Record<string, unknown>;
      envelope.event_id = randomUUID();
      if (invalid) {
        (envelope.data as Record<string, unknown>).weapon_id = "w".repeat(40);
      }
      const key = keyOf(envelope, event.key);
      const headers: Record<string, string> = {
        event_type: event.eventType,
        event_version: String(envelope.version),
        "content-type": "application/json",
      };
      if (typeof envelope.correlation_id === "string") {
        headers.correlation_id = envelope.correlation_id;
      }
      // One record per send, so the acknowledgement says which partition it went to.
      const [written] = await producer.send({
        topic: event.topic + suffix,
        acks: -1,
        // Not lz4 (see the codec above); the broker stores the batch as the topic says.
        compression: CompressionTypes.None,
        messages: [{ key, value: JSON.stringify(envelope), headers }],
      });
      console.log(
        JSON.stringify({
          event_type: event.eventType,
          event_id: envelope.event_id,
          topic: written.topicName,
          partition: written.partition,
          key: key ?? "",
        }),
      );
    }
  } finally {
    await producer.disconnect();
  }
}

/** Draft 7 validators of the export's self-contained schemas, compiled on first use. */
class Validators {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction<KafkaEvent>>();

  constructor(private readonly catalog: Catalog) {
    // Ajv's default class is Draft 7; the export's own keywords are annotations.
    this.ajv = new Ajv({ allErrors: true, strictTypes: false });
    this.ajv.addKeyword({ keyword: "confluent:tags", schemaType: "array" });
    this.ajv.addKeyword({ keyword: "x-kafka-event", schemaType: "object" });
    this.ajv.addKeyword({ keyword: "x-layout-order", schemaType: "array" });
    addFormats(this.ajv);
  }

  /** The value typed as the generated union, or why it is not an event of `eventType`. */
  check(eventType: string, value: unknown): KafkaEvent | string {
    const event = this.catalog.get(eventType);
    if (!event) {
      return `event type "${eventType}" is not in the export`;
    }
    let validate = this.compiled.get(eventType);
    if (!validate) {
      const schema = JSON.parse(readFileSync(event.schema, "utf8")) as object;
      validate = this.ajv.compile<KafkaEvent>(schema);
      this.compiled.set(eventType, validate);
    }
    if (!validate(value)) {
      return `invalid: ${this.ajv.errorsText(validate.errors)}`;
    }
    // `value` is a KafkaEvent from here on; its event_type narrows it further.
    if (value.event_type !== eventType) {
      return `header event_type ${eventType}, value ${value.event_type}`;
    }
    return value;
  }
}

async function consume(kafka: Kafka, catalog: Catalog, suffix: string, group: string, count: number) {
  const topics = [...new Set([...catalog.values()].map((event) => event.topic + suffix))].sort();
  const validators = new Validators(catalog);
  const summary: Summary = {
    read: 0,
    valid: 0,
    by_event_type: {},
    event_ids: [],
    attack_weapons: [],
    failures: [],
  };
  const consumer = kafka.consumer({ groupId: group, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      if (summary.read >= count) {
        return;
      }
      summary.read++;
      let eventType = message.headers?.event_type?.toString() ?? "";
      let checked: KafkaEvent | string;
      try {
        const value: unknown = JSON.parse(message.value?.toString() ?? "");
        // Without an event_type header (a Rust producer with HeaderSet::None), the value's
        // own event_type names the event.
        if (!eventType && typeof value === "object" && value !== null && "event_type" in value) {
          eventType = String(value.event_type);
        }
        checked = validators.check(eventType, value);
      } catch (error) {
        checked = `not JSON: ${(error as Error).message}`;
      }
      if (typeof checked === "string") {
        summary.failures.push(`${eventType} ${topic}/${partition}@${message.offset}: ${checked}`);
      } else {
        summary.valid++;
        summary.by_event_type[checked.event_type] = (summary.by_event_type[checked.event_type] ?? 0) + 1;
        summary.event_ids.push(checked.event_id);
        switch (checked.event_type) {
          case "combat.player.attack":
            summary.attack_weapons.push(checked.data.weapon_id);
            break;
        }
      }
      if (summary.read >= count) {
        done();
      }
    },
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`read ${summary.read} of ${count} records before the timeout`)), 90_000).unref(),
  );
  try {
    await Promise.race([finished, timeout]);
  } finally {
    await consumer.disconnect();
  }
  console.log(JSON.stringify(summary));
  if (summary.failures.length > 0) {
    throw new Error(`${summary.failures.length} of ${summary.read} records failed`);
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      brokers: { type: "string", default: "127.0.0.1:9092" },
      export: { type: "string", default: "../../out" },
      suffix: { type: "string", default: "" },
      group: { type: "string", default: "interop-ts" },
      count: { type: "string", default: "0" },
      invalid: { type: "boolean", default: false },
    },
  });
  const catalog = readCatalog(values.export);
  const kafka = new Kafka({
    clientId: "interop-ts",
    brokers: values.brokers.split(","),
    logLevel: logLevel.ERROR,
  });
  switch (command) {
    case "produce":
      return produce(kafka, catalog, values.suffix, values.invalid);
    case "consume":
      return consume(kafka, catalog, values.suffix, values.group, Number(values.count));
    default:
      throw new Error(`usage: main.js produce|consume [--brokers …] [--export …]`);
  }
}

main().catch((error: unknown) => {
  console.error("interop:", error instanceof Error ? error.message : error);
  process.exit(1);
});
