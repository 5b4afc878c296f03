package regionimport

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// csvFiles are the CSV files of china-division's dist/ directory that Import
// reads, top level first.
var csvFiles = []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}

// sourceDirs are where the CSV files may sit below the path given to
// OpenSource: the dist/ directory itself, the unpacked package, or the
// directory npm pack ran in.
var sourceDirs = []string{".", "dist", "package/dist"}

// OpenSource opens a directory holding the five CSV files (directly, or under
// dist/ or package/dist/) or an npm tarball (.tgz/.tar.gz) holding
// package/dist/*.csv. Close the returned Closer when done with the FS.
func OpenSource(p string) (fs.FS, io.Closer, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("division source: %w", err)
	}
	if fi.IsDir() {
		for _, d := range sourceDirs {
			dir := filepath.Join(p, filepath.FromSlash(d))
			if hasFile(dir, csvFiles[0]) {
				return os.DirFS(dir), io.NopCloser(nil), nil
			}
		}
		return nil, nil, fmt.Errorf("division source %s: no %s in it, in dist/ or in package/dist/", p, csvFiles[0])
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, fmt.Errorf("division source: %w", err)
	}
	defer f.Close()
	m, err := readTarball(f)
	if err != nil {
		return nil, nil, fmt.Errorf("division source %s: %w", p, err)
	}
	return m, io.NopCloser(nil), nil
}

func hasFile(dir, name string) bool {
	fi, err := os.Stat(filepath.Join(dir, name))
	return err == nil && fi.Mode().IsRegular()
}

// readTarball keeps only the five CSV files of a gzipped npm tarball, in
// memory: about 40 MB for the whole country, less than unpacking the JSON
// files beside them would cost on disk.
func readTarball(r io.Reader) (memFS, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a gzipped tarball: %w", err)
	}
	defer zr.Close()
	wanted := make(map[string]bool, len(csvFiles))
	for _, f := range csvFiles {
		wanted[f] = true
	}
	// A file found nearer the top of sourceDirs wins, as with directories.
	found := make(map[string]int)
	m := memFS{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read tarball: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := strings.TrimPrefix(path.Clean(h.Name), "./")
		dir, base := path.Split(name)
		dir = strings.TrimSuffix(dir, "/")
		if dir == "" {
			dir = "."
		}
		rank := -1
		for i, d := range sourceDirs {
			if dir == d {
				rank = i
			}
		}
		if rank < 0 || !wanted[base] {
			continue
		}
		if prev, ok := found[base]; ok && prev <= rank {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("read %s from tarball: %w", h.Name, err)
		}
		found[base] = rank
		m[base] = &memFile{name: base, data: b, mod: h.ModTime}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("tarball holds none of %s under package/dist/", strings.Join(csvFiles, ", "))
	}
	return m, nil
}

// memFS is a flat read-only file system of whole files held in memory.
type memFS map[string]*memFile

type memFile struct {
	name string
	data []byte
	mod  time.Time
}

func (m memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &memDir{m: m}, nil
	}
	f, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &openMemFile{f: f, r: bytes.NewReader(f.data)}, nil
}

type openMemFile struct {
	f *memFile
	r *bytes.Reader
}

func (o *openMemFile) Read(p []byte) (int, error) { return o.r.Read(p) }
func (o *openMemFile) Close() error               { return nil }
func (o *openMemFile) Stat() (fs.FileInfo, error) { return memInfo{o.f}, nil }

type memInfo struct{ f *memFile }

func (i memInfo) Name() string       { return i.f.name }
func (i memInfo) Size() int64        { return int64(len(i.f.data)) }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return i.f.mod }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// memDir lets fs.ReadDir and fs.WalkDir list the files; Import itself only
// opens them by name.
type memDir struct {
	m    memFS
	next int // index into csvFiles of the next entry to list
}

func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: fs.ErrInvalid}
}
func (d *memDir) Close() error               { return nil }
func (d *memDir) Stat() (fs.FileInfo, error) { return dirInfo{}, nil }

func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	for ; d.next < len(csvFiles) && (n <= 0 || len(out) < n); d.next++ {
		if f, ok := d.m[csvFiles[d.next]]; ok {
			out = append(out, fs.FileInfoToDirEntry(memInfo{f}))
		}
	}
	if n > 0 && len(out) == 0 {
		return nil, io.EOF
	}
	return out, nil
}

type dirInfo struct{}

func (dirInfo) Name() string       { return "." }
func (dirInfo) Size() int64        { return 0 }
func (dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (dirInfo) ModTime() time.Time { return time.Time{} }
func (dirInfo) IsDir() bool        { return true }
func (dirInfo) Sys() any           { return nil }
