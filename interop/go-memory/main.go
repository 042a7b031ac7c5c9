// Command memory measures what the layout-order rule of the generated Go structs saves against
// the structs a Go team would otherwise have, for every event of an export:
//
//   - layout: the generated `kafkaevents` structs (fields largest alignment first);
//   - alphabetical: the same field types in alphabetical order (what most generators emit);
//   - specification: the envelope's fields in the order of the specification's example
//     (event_id, event_type, timestamp, …, data, metadata), the data in layout order;
//   - go-jsonschema: github.com/atombender/go-jsonschema's structs from the same schemas,
//     with its defaults (alphabetical, `int`, a validating UnmarshalJSON) and with
//     --min-sized-ints --only-models (see generate.sh, which writes them under peers/).
//
// It prints a Markdown table: unsafe.Sizeof of each envelope struct (the bytes the struct
// itself takes; strings and slices count their 16- and 24-byte headers) and the heap
// allocations and bytes per decoded event (encoding/json, testing.Benchmark), per event and in
// total. Each variant must decode every example of the export, or the command exits with 1.
//
//	./generate.sh ../../out && go run . -export ../../out
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"

	events "kafkaevents"
	"kafkaevents-memory/peers"
)

// specificationOrder is the envelope of the specification's example, in its order.
var specificationOrder = []string{
	"event_id", "event_type", "timestamp", "version", "source", "correlation_id",
	"session_id", "player_id", "data", "metadata",
}

// variant is one way of declaring every event's envelope struct.
type variant struct {
	name  string
	types map[string]reflect.Type
}

// measured is what one variant costs for one event.
type measured struct {
	size, allocs, bytes int64
	// refused is why the struct did not decode the example (then allocs and bytes are 0).
	refused string
}

func main() {
	export := flag.String("export", "../../out", "the export-schemas output folder")
	flag.Parse()
	examples, err := readExamples(*export)
	if err != nil {
		fail(err)
	}
	layout := map[string]reflect.Type{}
	alphabetical := map[string]reflect.Type{}
	specification := map[string]reflect.Type{}
	for eventType, example := range examples {
		decoded, err := events.DecodeEvent(eventType, example)
		if err != nil {
			fail(fmt.Errorf("%s: %w", eventType, err))
		}
		envelope := reflect.TypeOf(decoded).Elem()
		layout[eventType] = envelope
		alphabetical[eventType] = reordered(envelope, alphabeticalOrder)
		specification[eventType] = reordered(envelope, func(fields []reflect.StructField) {
			sortBy(fields, specificationOrder)
		})
	}
	variants := []variant{
		{"layout order (ours)", layout},
		{"ours, alphabetical", alphabetical},
		{"ours, specification's envelope order", specification},
		{"go-jsonschema (defaults)", peers.Default},
		{"go-jsonschema --min-sized-ints", peers.Sized},
	}
	names := make([]string, 0, len(examples))
	for name := range examples {
		names = append(names, name)
	}
	sort.Strings(names)
	results := map[string][]measured{}
	for _, name := range names {
		for _, v := range variants {
			t, ok := v.types[name]
			if !ok {
				fail(fmt.Errorf("%s: no struct for %s", v.name, name))
			}
			m, err := measure(t, examples[name])
			if err != nil {
				// A generator's struct that refuses a valid example is a finding, not a
				// failure of this command: the table says so.
				m.refused = err.Error()
				if v.types[name] == layout[name] {
					fail(fmt.Errorf("%s, %s: %w", v.name, name, err))
				}
			}
			results[name] = append(results[name], m)
		}
	}
	print(variants, names, results)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "memory:", err)
	os.Exit(1)
}

// readExamples reads every example of the export by event type.
func readExamples(export string) (map[string][]byte, error) {
	paths, err := filepath.Glob(filepath.Join(export, "examples", "*", "*.json"))
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no examples under %s/examples: run export-schemas first", export)
	}
	examples := map[string][]byte{}
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		examples[strings.TrimSuffix(filepath.Base(path), ".json")] = raw
	}
	return examples, nil
}

// runs is how many decodes each allocation figure averages.
const runs = 200

// measure decodes example into a new value of t: the struct's size, and the allocations and
// bytes allocated per decode (averaged as testing.AllocsPerRun does, on one processor).
func measure(t reflect.Type, example []byte) (measured, error) {
	decode := func() error { return json.Unmarshal(example, reflect.New(t).Interface()) }
	if err := decode(); err != nil {
		return measured{size: int64(t.Size())}, err
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		_ = decode()
	}
	runtime.ReadMemStats(&after)
	return measured{
		size:   int64(t.Size()),
		allocs: int64(after.Mallocs-before.Mallocs) / runs,
		bytes:  int64(after.TotalAlloc-before.TotalAlloc) / runs,
	}, nil
}

// reordered rebuilds t, and every struct of the generated package inside it, with its fields
// in the order `order` leaves them; other types (time.Time, enums, slices' elements that are
// not generated structs) stay as they are. The JSON tags go with the fields, so the rebuilt
// type decodes the same documents.
func reordered(t reflect.Type, order func([]reflect.StructField)) reflect.Type {
	switch t.Kind() {
	case reflect.Struct:
		if t.PkgPath() != reflect.TypeFor[events.Metadata]().PkgPath() {
			return t
		}
		fields := make([]reflect.StructField, t.NumField())
		for i := range fields {
			field := t.Field(i)
			field.Type = reordered(field.Type, order)
			field.Index, field.Offset = nil, 0
			fields[i] = field
		}
		order(fields)
		return reflect.StructOf(fields)
	case reflect.Pointer:
		return reflect.PointerTo(reordered(t.Elem(), order))
	case reflect.Slice:
		return reflect.SliceOf(reordered(t.Elem(), order))
	}
	return t
}

func jsonName(field reflect.StructField) string {
	name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
	return name
}

func alphabeticalOrder(fields []reflect.StructField) {
	sort.SliceStable(fields, func(i, j int) bool { return jsonName(fields[i]) < jsonName(fields[j]) })
}

// sortBy puts the fields named in order first, in that order; the others keep theirs after.
func sortBy(fields []reflect.StructField, order []string) {
	rank := func(field reflect.StructField) int {
		for i, name := range order {
			if jsonName(field) == name {
				return i
			}
		}
		return len(order)
	}
	sort.SliceStable(fields, func(i, j int) bool { return rank(fields[i]) < rank(fields[j]) })
}

// print writes the table: per event the size and the allocations of each variant, then the
// totals and what layout order saves against each. Allocations are summed over the events
// every variant decodes.
func print(variants []variant, names []string, results map[string][]measured) {
	header := "| event |"
	rule := "|---|"
	for _, v := range variants {
		header += fmt.Sprintf(" %s |", v.name)
		rule += "---:|"
	}
	fmt.Println("Per event: struct bytes (unsafe.Sizeof) · allocations per decode · bytes allocated per decode.")
	fmt.Println()
	fmt.Println(header)
	fmt.Println(rule)
	totals := make([]measured, len(variants))
	var refusals []string
	decodedByAll := 0
	for _, name := range names {
		row := "| " + name + " |"
		all := true
		for i, m := range results[name] {
			totals[i].size += m.size
			if m.refused != "" {
				all = false
				row += fmt.Sprintf(" %d · refused¹ |", m.size)
				refusals = append(refusals, fmt.Sprintf("%s, %s: %s", variants[i].name, name, m.refused))
			} else {
				row += fmt.Sprintf(" %d · %d · %d |", m.size, m.allocs, m.bytes)
			}
		}
		if all {
			decodedByAll++
			for i, m := range results[name] {
				totals[i].allocs += m.allocs
				totals[i].bytes += m.bytes
			}
		}
		fmt.Println(row)
	}
	row := fmt.Sprintf("| **all %d** (allocations: the %d every variant decodes) |", len(names), decodedByAll)
	for _, t := range totals {
		row += fmt.Sprintf(" **%d · %d · %d** |", t.size, t.allocs, t.bytes)
	}
	fmt.Println(row)
	fmt.Println()
	for _, refusal := range refusals {
		fmt.Printf("¹ %s\n", refusal)
	}
	ours := totals[0]
	for i, v := range variants[1:] {
		other := totals[i+1]
		fmt.Printf("layout order against %s: struct bytes %+.1f %%, allocations %+.1f %%, bytes allocated %+.1f %%\n",
			v.name, change(ours.size, other.size), change(ours.allocs, other.allocs), change(ours.bytes, other.bytes))
	}
}

// change is how much ours differs from other, in percent of other.
func change(ours, other int64) float64 {
	if other == 0 {
		return 0
	}
	return 100 * float64(ours-other) / float64(other)
}
