package httpaudit_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// scripts are copied next to the installed node_modules, so that Node
// resolves their imports there.
var scripts = []string{"audit.mjs", "graphiql.mjs"}

var (
	installOnce sync.Once
	installDir  string
	installErr  string
)

// requireTool returns the path of an executable, skipping the test when it
// is missing — except on CI, where a missing tool fails it.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required on CI: %v", name, err)
		}
		t.Skipf("%s is not installed: %v", name, err)
	}
	return path
}

// nodeTools installs the packages of package-lock.json with `npm ci` into
// .cache/httpaudit-<hash of the lockfile>/ at the module root (once; later
// runs reuse it) and returns that folder, holding the scripts too.
func nodeTools(t *testing.T) string {
	t.Helper()
	requireTool(t, "node")
	npm := requireTool(t, "npm")
	installOnce.Do(func() { installDir, installErr = install(npm) })
	if installErr != "" {
		t.Fatal(installErr)
	}
	return installDir
}

func install(npm string) (string, string) {
	lock, err := os.ReadFile("package-lock.json")
	if err != nil {
		return "", err.Error()
	}
	sum := sha256.Sum256(lock)
	dir, err := filepath.Abs(filepath.Join("..", "..", ".cache", "httpaudit-"+hex.EncodeToString(sum[:6])))
	if err != nil {
		return "", err.Error()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err.Error()
	}
	for _, name := range append([]string{"package.json", "package-lock.json"}, scripts...) {
		body, err := os.ReadFile(name)
		if err != nil {
			return "", err.Error()
		}
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return "", err.Error()
		}
	}
	done := filepath.Join(dir, "node_modules", ".installed")
	if _, err := os.Stat(done); err == nil {
		return dir, ""
	}
	cmd := exec.Command(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "npm ci in " + dir + ": " + err.Error() + "\n" + string(out)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		return "", err.Error()
	}
	return dir, ""
}

// runNode runs a script of nodeTools with args and returns its output,
// failing the test when it exits non-zero.
func runNode(t *testing.T, script string, args ...string) string {
	t.Helper()
	dir := nodeTools(t)
	cmd := exec.Command("node", append([]string{script}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node %s %s: %v\n%s", script, strings.Join(args, " "), err, out)
	}
	return string(out)
}
