// Command interop produces and consumes the kafka-events catalog's events from Go, with the
// structs `export-schemas` generates (package kafkaevents, ../../out/go) and franz-go, so the
// Rust clients and a Go service are checked against each other through Apache Kafka.
//
//	interop produce -brokers 127.0.0.1:9092 -export ../../out [-suffix .staging] [-invalid]
//	interop consume -brokers 127.0.0.1:9092 -export ../../out -group g -count 35 [-suffix .staging]
//
// produce writes every example of the export (a fresh event_id each) with the key and headers
// the Rust producer writes, and prints one JSON line per record ({"event_type", "event_id",
// "topic", "partition", "key"}). -invalid writes one combat.player.attack whose weapon_id is
// longer than its schema allows instead. consume reads -count records, decodes each into its
// generated struct by its event_type header (without one, the value's event_type), validates
// the value against the exported Draft 7 schema, checks the struct re-encodes to the same
// JSON, and prints a JSON summary; it exits with status 1 when any record failed.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/twmb/franz-go/pkg/kgo"

	events "kafkaevents"
)

// topicFile is what the export says of a topic (topics/<topic>.json).
type topicFile struct {
	Topic  string `json:"topic"`
	Events []struct {
		EventType string `json:"event_type"`
		Version   string `json:"version"`
		Schema    string `json:"schema"`
		Key       string `json:"key"`
	} `json:"events"`
}

// catalogEvent is one event of the export: where its files are and how its key is read.
type catalogEvent struct {
	eventType string
	topic     string
	schema    string // the self-contained schema
	example   string
	key       string // JSON pointer, empty for none
}

func main() {
	if len(os.Args) < 2 {
		fail(errors.New("usage: interop produce|consume [flags]"))
	}
	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	brokers := flags.String("brokers", "127.0.0.1:9092", "bootstrap servers, comma-separated")
	export := flags.String("export", "../../out", "the export-schemas output folder")
	suffix := flags.String("suffix", "", "appended to every topic name")
	group := flags.String("group", "interop-go", "consumer group (consume)")
	count := flags.Int("count", 0, "records to read (consume)")
	timeout := flags.Duration("timeout", 90*time.Second, "give up after")
	invalid := flags.Bool("invalid", false, "write one event its schema refuses (produce)")
	if err := flags.Parse(os.Args[2:]); err != nil {
		fail(err)
	}
	catalog, err := readCatalog(*export)
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	seeds := strings.Split(*brokers, ",")
	switch os.Args[1] {
	case "produce":
		err = produce(ctx, seeds, catalog, *suffix, *invalid)
	case "consume":
		err = consume(ctx, seeds, catalog, *suffix, *group, *count)
	default:
		err = fmt.Errorf("unknown command %q: produce or consume", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "interop:", err)
	os.Exit(1)
}

// readCatalog reads every topic file of the export, events sorted by name.
func readCatalog(export string) (map[string]catalogEvent, error) {
	paths, err := filepath.Glob(filepath.Join(export, "topics", "*.json"))
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no topic files under %s/topics: run export-schemas first", export)
	}
	catalog := map[string]catalogEvent{}
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var topic topicFile
		if err := json.Unmarshal(raw, &topic); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, event := range topic.Events {
			rest, found := strings.CutPrefix(event.Schema, "schemas/")
			if !found {
				return nil, fmt.Errorf("%s: %s: schema path %q", path, event.EventType, event.Schema)
			}
			catalog[event.EventType] = catalogEvent{
				eventType: event.EventType,
				topic:     topic.Topic,
				schema:    filepath.Join(export, "self-contained", rest),
				example:   filepath.Join(export, "examples", rest),
				key:       event.Key,
			}
		}
	}
	return catalog, nil
}

// names lists the catalog's event types in order.
func names(catalog map[string]catalogEvent) []string {
	out := make([]string, 0, len(catalog))
	for name := range catalog {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// newUUID is a random (version 4) UUID.
func newUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

// keyOf reads the record key as the Rust producer writes it: the key field's value as text.
func keyOf(envelope map[string]any, pointer string) ([]byte, error) {
	if pointer == "" {
		return nil, nil
	}
	var value any = envelope
	for _, segment := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		object, ok := value.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("key %s: not an object at %q", pointer, segment)
		}
		value = object[segment]
	}
	switch v := value.(type) {
	case nil:
		return nil, nil
	case string:
		return []byte(v), nil
	case json.Number:
		return []byte(v.String()), nil
	default:
		return nil, fmt.Errorf("key %s: a %T is not a key", pointer, value)
	}
}

// record builds the Kafka record of one example with a fresh event id.
func record(event catalogEvent, suffix string, change func(map[string]any)) (*kgo.Record, string, error) {
	raw, err := os.ReadFile(event.example)
	if err != nil {
		return nil, "", err
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var envelope map[string]any
	if err := decoder.Decode(&envelope); err != nil {
		return nil, "", fmt.Errorf("%s: %w", event.example, err)
	}
	id, err := newUUID()
	if err != nil {
		return nil, "", err
	}
	envelope["event_id"] = id
	if change != nil {
		change(envelope)
	}
	key, err := keyOf(envelope, event.key)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", event.eventType, err)
	}
	value, err := json.Marshal(envelope)
	if err != nil {
		return nil, "", err
	}
	headers := []kgo.RecordHeader{
		{Key: "event_type", Value: []byte(event.eventType)},
		{Key: "event_version", Value: []byte(fmt.Sprint(envelope["version"]))},
		{Key: "content-type", Value: []byte("application/json")},
	}
	if correlation, ok := envelope["correlation_id"].(string); ok {
		headers = append(headers, kgo.RecordHeader{Key: "correlation_id", Value: []byte(correlation)})
	}
	return &kgo.Record{Topic: event.topic + suffix, Key: key, Value: value, Headers: headers}, id, nil
}

func produce(ctx context.Context, seeds []string, catalog map[string]catalogEvent, suffix string, invalid bool) error {
	// franz-go's defaults: idempotent, acks from all in-sync replicas, and Kafka's murmur2
	// partitioner for keyed records (the Rust producer's `partitioner=murmur2_random`).
	client, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ProducerLinger(5*time.Millisecond))
	if err != nil {
		return err
	}
	defer client.Close()
	var records []*kgo.Record
	var ids []string
	selected := names(catalog)
	var change func(map[string]any)
	if invalid {
		selected = []string{"combat.player.attack"}
		change = func(envelope map[string]any) {
			envelope["data"].(map[string]any)["weapon_id"] = strings.Repeat("w", 40)
		}
	}
	for _, name := range selected {
		event, ok := catalog[name]
		if !ok {
			return fmt.Errorf("%s is not in the export", name)
		}
		rec, id, err := record(event, suffix, change)
		if err != nil {
			return err
		}
		records = append(records, rec)
		ids = append(ids, id)
	}
	results := client.ProduceSync(ctx, records...)
	if err := results.FirstErr(); err != nil {
		return err
	}
	// Results come in the order the records were acknowledged, not sent.
	idOf := map[*kgo.Record]string{}
	typeOf := map[*kgo.Record]string{}
	for i, rec := range records {
		idOf[rec], typeOf[rec] = ids[i], selected[i]
	}
	out := json.NewEncoder(os.Stdout)
	for _, result := range results {
		line := map[string]any{
			"event_type": typeOf[result.Record],
			"event_id":   idOf[result.Record],
			"topic":      result.Record.Topic,
			"partition":  result.Record.Partition,
			"key":        string(result.Record.Key),
		}
		if err := out.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

// normalized is a JSON value with null members dropped (an absent optional field and a null
// one mean the same) and numbers in one form.
func normalized(raw []byte) (any, error) {
	var value any
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	if err := decoder.Decode(&value); err != nil {
		return nil, err
	}
	return dropNulls(value), nil
}

// dropNulls also writes each number in one form (-48.0 and -48 are the same number).
func dropNulls(value any) any {
	switch v := value.(type) {
	case json.Number:
		if exact, ok := new(big.Rat).SetString(v.String()); ok {
			return exact.RatString()
		}
	case map[string]any:
		for key, member := range v {
			if member == nil {
				delete(v, key)
			} else {
				v[key] = dropNulls(member)
			}
		}
	case []any:
		for i := range v {
			v[i] = dropNulls(v[i])
		}
	}
	return value
}

// check validates one record against its schema, decodes it into its struct and compares the
// struct's JSON with the record's.
func check(compiler *jsonschema.Compiler, schemas map[string]*jsonschema.Schema, catalog map[string]catalogEvent, eventType string, value []byte) error {
	event, ok := catalog[eventType]
	if !ok {
		return fmt.Errorf("event type %q is not in the export", eventType)
	}
	schema, ok := schemas[eventType]
	if !ok {
		compiled, err := compiler.Compile(event.schema)
		if err != nil {
			return fmt.Errorf("schema %s: %w", event.schema, err)
		}
		schemas[eventType], schema = compiled, compiled
	}
	instance, err := jsonschema.UnmarshalJSON(bytes.NewReader(value))
	if err != nil {
		return err
	}
	if err := schema.Validate(instance); err != nil {
		return fmt.Errorf("invalid: %w", err)
	}
	decoded, err := events.DecodeEvent(eventType, value)
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	again, err := json.Marshal(decoded)
	if err != nil {
		return err
	}
	original, err := normalized(value)
	if err != nil {
		return err
	}
	reencoded, err := normalized(again)
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(original, reencoded) {
		return fmt.Errorf("re-encoded differently:\n%s\n%s", value, again)
	}
	return nil
}

// summary is what consume prints.
type summary struct {
	Read        int            `json:"read"`
	Valid       int            `json:"valid"`
	ByEventType map[string]int `json:"by_event_type"`
	EventIDs    []string       `json:"event_ids"`
	Failures    []string       `json:"failures"`
}

func consume(ctx context.Context, seeds []string, catalog map[string]catalogEvent, suffix, group string, count int) error {
	topics := map[string]bool{}
	for _, event := range catalog {
		topics[event.topic+suffix] = true
	}
	var subscribed []string
	for topic := range topics {
		subscribed = append(subscribed, topic)
	}
	sort.Strings(subscribed)
	client, err := kgo.NewClient(
		kgo.SeedBrokers(seeds...),
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(subscribed...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	if err != nil {
		return err
	}
	defer client.Close()
	compiler := jsonschema.NewCompiler()
	compiler.AssertFormat()
	schemas := map[string]*jsonschema.Schema{}
	result := summary{ByEventType: map[string]int{}, EventIDs: []string{}, Failures: []string{}}
	for result.Read < count {
		fetches := client.PollFetches(ctx)
		if ctx.Err() != nil {
			return fmt.Errorf("read %d of %d records before the timeout", result.Read, count)
		}
		for _, fetchErr := range fetches.Errors() {
			return fmt.Errorf("fetch %s/%d: %w", fetchErr.Topic, fetchErr.Partition, fetchErr.Err)
		}
		fetches.EachRecord(func(rec *kgo.Record) {
			result.Read++
			var identity struct {
				EventID   string `json:"event_id"`
				EventType string `json:"event_type"`
			}
			_ = json.Unmarshal(rec.Value, &identity)
			// Without an event_type header (a Rust producer with HeaderSet::None), the
			// value's own event_type names the event.
			eventType := identity.EventType
			for _, header := range rec.Headers {
				if header.Key == "event_type" {
					eventType = string(header.Value)
				}
			}
			if err := check(compiler, schemas, catalog, eventType, rec.Value); err != nil {
				result.Failures = append(result.Failures, fmt.Sprintf("%s %s/%d@%d: %v", eventType, rec.Topic, rec.Partition, rec.Offset, err))
				return
			}
			result.Valid++
			result.ByEventType[eventType]++
			result.EventIDs = append(result.EventIDs, identity.EventID)
		})
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		return err
	}
	if len(result.Failures) > 0 {
		return fmt.Errorf("%d of %d records failed", len(result.Failures), result.Read)
	}
	return nil
}
