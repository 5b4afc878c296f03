package i18n_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/language"

	"github.com/mashang/mashang/i18n"
)

var update = flag.Bool("update", false, "add the message formats of the code to the catalogs (English text, empty Chinese translation)")

// TestEveryFormatHasChinese fails when a message format used in the code
// (a string literal given to mashang.Errorf or mashang.FieldErrorf) has no
// zh-CN translation. Run `go test ./i18n -run TestEveryFormatHasChinese
// -update` to add new formats to both catalogs, then translate the empty
// "translation" fields of locales/zh-CN/messages.gotext.json.
func TestEveryFormatHasChinese(t *testing.T) {
	used := usedFormats(t)
	if *update {
		writeCatalogs(t, used, errorCodes(t))
	}
	zh := translations(t, i18n.Chinese)
	for _, u := range used {
		if zh[u.format] == "" {
			t.Errorf("%s: no zh-CN translation for %q", u.pos, u.format)
		}
	}
}

// TestEveryCodeHasChinese fails when an error code of errors.go has no
// generic zh-CN message (shown for an error without a message of its own).
func TestEveryCodeHasChinese(t *testing.T) {
	zh := translations(t, i18n.Chinese)
	en := translations(t, i18n.English)
	for _, code := range errorCodes(t) {
		if zh[i18n.CodeKey(code)] == "" {
			t.Errorf("error code %s has no zh-CN message (%s)", code, i18n.CodeKey(code))
		}
		if en[i18n.CodeKey(code)] == "" {
			t.Errorf("error code %s has no English message (%s)", code, i18n.CodeKey(code))
		}
	}
}

// TestTranslationsKeepPlaceholders fails when a translation names a
// placeholder its message does not have, or is not Chinese.
func TestTranslationsKeepPlaceholders(t *testing.T) {
	zh, err := i18n.ReadFile(i18n.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	ref := regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9]*)\}`)
	ids := map[string]bool{}
	for _, m := range zh.Messages {
		if ids[m.ID] {
			t.Errorf("id %s is used twice", m.ID)
		}
		ids[m.ID] = true
		for _, r := range ref.FindAllStringSubmatch(m.Translation, -1) {
			if !slices.ContainsFunc(m.Placeholders, func(p i18n.Placeholder) bool { return p.ID == r[1] }) {
				t.Errorf("%s: translation names {%s}, not a placeholder of %q", m.ID, r[1], m.Message)
			}
		}
		words := ref.ReplaceAllString(m.Translation, "")
		if strings.ContainsFunc(words, unicode.IsLetter) && !strings.ContainsFunc(m.Translation, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: translation %q has no Chinese", m.ID, m.Translation)
		}
	}
}

func translations(t *testing.T, lang language.Tag) map[string]string {
	t.Helper()
	f, err := i18n.ReadFile(lang)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range f.Messages {
		out[m.Key] = m.Translation
	}
	return out
}

// errorCodes reads the wire values of the error code constants of the root
// errors.go (E and capitals).
func errorCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^E[A-Z]+$`)
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, id := range vs.Names {
			if i >= len(vs.Values) {
				break
			}
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && name.MatchString(id.Name) {
				v, _ := strconv.Unquote(lit.Value)
				codes = append(codes, v)
			}
		}
		return true
	})
	if len(codes) < 10 {
		t.Fatalf("found only %d error codes in errors.go", len(codes))
	}
	return codes
}

// writeCatalogs adds what the code uses to both files, keeping every
// entry's id and translation.
func writeCatalogs(t *testing.T, used []usedFormat, codes []string) {
	t.Helper()
	en, err := i18n.ReadFile(i18n.English)
	if err != nil {
		t.Fatal(err)
	}
	zh, err := i18n.ReadFile(i18n.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	ids := map[string]bool{}
	for _, m := range en.Messages {
		have[m.Key] = true
		ids[m.ID] = true
	}
	add := func(m i18n.Message) {
		if have[m.Key] {
			return
		}
		have[m.Key] = true
		if m.ID == "" {
			m.ID = messageID(m.Message, ids)
		}
		ids[m.ID] = true
		en.Messages = append(en.Messages, m)
		z := m
		z.Translation = ""
		zh.Messages = append(zh.Messages, z)
	}
	for _, c := range codes {
		add(i18n.Message{ID: i18n.CodeKey(c), Key: i18n.CodeKey(c), Message: c})
	}
	add(i18n.Message{ID: "value.invalid", Key: "value.invalid", Message: "the value is not valid"})
	for _, u := range used {
		text, ph := messageText(u)
		add(i18n.Message{Key: u.format, Message: text, Placeholders: ph})
	}
	for i := range en.Messages {
		if en.Messages[i].Translation == "" {
			en.Messages[i].Translation = en.Messages[i].Message
		}
	}
	for lang, f := range map[language.Tag]*i18n.File{i18n.English: en, i18n.Chinese: zh} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "    ")
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.FromSlash(i18n.Files[lang]), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// messageText turns a format into gotext's message text: each verb becomes
// a named placeholder ({ID}), %% becomes %.
func messageText(u usedFormat) (string, []i18n.Placeholder) {
	var ph []i18n.Placeholder
	n := 0
	text := verb.ReplaceAllStringFunc(u.format, func(v string) string {
		if v == "%%" {
			return "%"
		}
		n++
		name := "Arg" + strconv.Itoa(n)
		expr := ""
		if n <= len(u.args) {
			name = placeholderName(u.args[n-1], n)
			expr = types(u.args[n-1])
		}
		for slices.ContainsFunc(ph, func(p i18n.Placeholder) bool { return p.ID == name }) {
			name += strconv.Itoa(n)
		}
		ph = append(ph, i18n.Placeholder{ID: name, String: "%[" + strconv.Itoa(n) + "]" + v[1:], ArgNum: n, Expr: expr})
		return "{" + name + "}"
	})
	return text, ph
}

// messageID makes a short stable id from the English text: its first words
// in lowerCamelCase, more words (or a number) until it is unique.
func messageID(text string, taken map[string]bool) string {
	words := strings.FieldsFunc(regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(text, " "), func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
	id := ""
	for i, w := range words {
		if i == 0 {
			id = strings.ToLower(w[:1]) + w[1:]
		} else {
			id += strings.ToUpper(w[:1]) + w[1:]
		}
		if i >= 3 && !taken[id] {
			return id
		}
	}
	if id == "" {
		id = "detail"
	}
	for n := 2; taken[id]; n++ {
		id = strings.TrimRight(id, "0123456789") + strconv.Itoa(n)
	}
	return id
}

// TestNoStaleMessages fails when a catalog keeps a message format that no
// code uses any more (a message reworded or removed leaves its old entry
// behind otherwise): remove the entry from both catalogs.
func TestNoStaleMessages(t *testing.T) {
	used := map[string]bool{}
	for _, u := range usedFormats(t) {
		used[u.format] = true
	}
	for _, code := range errorCodes(t) {
		used[i18n.CodeKey(code)] = true
	}
	for _, lang := range []language.Tag{i18n.Chinese, i18n.English} {
		f, err := i18n.ReadFile(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range f.Messages {
			if !used[m.Key] && !strings.HasPrefix(m.Key, "value.") {
				t.Errorf("%s: %q is used nowhere in the code", lang, m.Key)
			}
		}
	}
}
