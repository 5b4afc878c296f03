package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strconv"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// File is a catalog file in the JSON layout of golang.org/x/text's gotext
// tool: one per language, locales/<lang>/messages.gotext.json.
type File struct {
	Language string    `json:"language"`
	Messages []Message `json:"messages"`
}

// Message is one entry of a catalog file. Key is the Go format string
// (what mashang.Errorf was given) or, for a generic message, the id;
// Message is the English text with named placeholders ({ID}); Translation
// is the text in the file's language with the same placeholders.
type Message struct {
	ID           string        `json:"id"`
	Key          string        `json:"key"`
	Message      string        `json:"message"`
	Translation  string        `json:"translation"`
	Placeholders []Placeholder `json:"placeholders,omitempty"`
}

// Placeholder names one argument of a message.
type Placeholder struct {
	ID     string `json:"id"`
	String string `json:"string"`
	ArgNum int    `json:"argNum"`
	Expr   string `json:"expr,omitempty"`
}

//go:embed locales/*/messages.gotext.json
var localeFS embed.FS

// Files are the catalog file names by language.
var Files = map[language.Tag]string{
	Chinese: "locales/zh-CN/messages.gotext.json",
	English: "locales/en/messages.gotext.json",
}

type entry struct {
	ID           string
	placeholders []Placeholder
}

var catalogs = mustLoad()

type loaded struct {
	byKey            map[string]entry
	chinese, english *message.Printer
}

// ReadFile reads the embedded catalog of lang.
func ReadFile(lang language.Tag) (*File, error) {
	b, err := localeFS.ReadFile(Files[lang])
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path.Base(Files[lang]), err)
	}
	return &f, nil
}

func mustLoad() loaded {
	l, err := load()
	if err != nil {
		panic("i18n: " + err.Error())
	}
	return l
}

// load builds one x/text catalog from both files. A Chinese entry with no
// translation falls back to the English text.
func load() (loaded, error) {
	b := catalog.NewBuilder(catalog.Fallback(Chinese))
	l := loaded{byKey: map[string]entry{}}
	en, err := ReadFile(English)
	if err != nil {
		return l, err
	}
	zh, err := ReadFile(Chinese)
	if err != nil {
		return l, err
	}
	zhByKey := map[string]Message{}
	for _, m := range zh.Messages {
		zhByKey[m.Key] = m
	}
	for _, m := range en.Messages {
		l.byKey[m.Key] = entry{ID: m.ID, placeholders: m.Placeholders}
		text := m.Translation
		if text == "" {
			text = m.Message
		}
		if err := set(b, English, m, text); err != nil {
			return l, err
		}
		if z, ok := zhByKey[m.Key]; ok && z.Translation != "" {
			text = z.Translation
		}
		if err := set(b, Chinese, m, text); err != nil {
			return l, err
		}
	}
	l.chinese = message.NewPrinter(Chinese, message.Catalog(b))
	l.english = message.NewPrinter(English, message.Catalog(b))
	return l, nil
}

var placeholderRef = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9]*)\}`)

// set stores text under the entry's key, its placeholders turned into
// positional %[n]s (arguments arrive rendered as strings).
func set(b *catalog.Builder, lang language.Tag, m Message, text string) error {
	var bad error
	msg := placeholderRef.ReplaceAllStringFunc(text, func(ref string) string {
		id := ref[1 : len(ref)-1]
		for _, p := range m.Placeholders {
			if p.ID == id {
				return "%[" + strconv.Itoa(p.ArgNum) + "]s"
			}
		}
		bad = fmt.Errorf("%s: %q names no placeholder %s", lang, m.Key, ref)
		return ref
	})
	if bad != nil {
		return bad
	}
	return b.SetString(lang, m.Key, escapePercent(msg))
}

// escapePercent doubles every % that does not start a %[n]s.
func escapePercent(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && !(i+1 < len(s) && s[i+1] == '[') {
			out = append(out, '%', '%')
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}
