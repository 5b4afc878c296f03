// Package i18n renders the messages of *mashang.Error in the caller's
// language: Chinese (zh-CN) first, English when the request prefers it.
//
// The catalogs are gotext JSON files (locales/<lang>/messages.gotext.json,
// embedded) loaded into a golang.org/x/text/message catalog. A message is
// found by its Go format string (the "key" of a catalog entry, the format
// a call to mashang.Errorf or mashang.FieldErrorf passed), and is given to
// clients with a stable id (messageKey) and its params by placeholder
// name, so a client may translate it itself. Arguments are rendered here:
// a time.Time in China time (UTC+8) with its offset, a nested *mashang.Error
// in the same language, any other error as a generic phrase (Go error text
// never reaches a client).
package i18n

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/mashang/mashang"
)

// The languages messages are given in; the first is the default.
var (
	Chinese = language.MustParse("zh-CN")
	English = language.English
)

// ChinaTime is the zone times are shown in (Asia/Shanghai: UTC+8, no
// daylight saving time since 1991, so a fixed zone is exact and needs no
// tz database on the host).
var ChinaTime = time.FixedZone("CST", 8*60*60)

// TimeLayout shows a time in a message: China time with the offset.
const TimeLayout = "2006-01-02 15:04:05 -07:00"

var matcher = language.NewMatcher([]language.Tag{Chinese, English})

// Match returns the language for an Accept-Language header: English when
// it prefers English, otherwise Chinese (also for no header, a bad header
// or a language we do not have).
func Match(acceptLanguage string) language.Tag {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Chinese
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Chinese
	}
	return []language.Tag{Chinese, English}[i]
}

type ctxKey struct{}

// WithLanguage returns a context whose messages are given in lang.
func WithLanguage(ctx context.Context, lang language.Tag) context.Context {
	return context.WithValue(ctx, ctxKey{}, lang)
}

// FromContext returns the language of the request (Chinese when none was set).
func FromContext(ctx context.Context) language.Tag {
	if lang, ok := ctx.Value(ctxKey{}).(language.Tag); ok {
		return lang
	}
	return Chinese
}

// Localized is a message ready for a client.
type Localized struct {
	// Message is the text in the requested language.
	Message string
	// Key is the stable id of the message in the catalogs (messageKey).
	Key string
	// Params holds the rendered arguments by placeholder name.
	Params map[string]any
}

// CodeKey is the catalog id of the generic message of an error code, used
// when an error has no message of its own in the catalog.
func CodeKey(code string) string { return "code." + code }

// Localize renders err in lang. Anything but a *mashang.Error (in the chain)
// is an internal error, shown as the generic message of mashang.EINTERNAL.
func Localize(lang language.Tag, err error) Localized {
	var e *mashang.Error
	if !errors.As(err, &e) {
		return Code(lang, mashang.EINTERNAL, nil)
	}
	entry, ok := catalogs.byKey[e.Format]
	if !ok || e.Format == "" {
		return Code(lang, e.Code, nil)
	}
	args := renderArgs(lang, e.Format, e.Args)
	params := make(map[string]any, len(entry.placeholders))
	for _, p := range entry.placeholders {
		if p.ArgNum >= 1 && p.ArgNum <= len(args) {
			params[p.ID] = args[p.ArgNum-1]
		}
	}
	return Localized{Message: finish(lang, printer(lang).Sprintf(e.Format, args...)), Key: entry.ID, Params: params}
}

// Notice renders a message that is not an error (a notice the platform
// sends, such as the daily digest of issue 12) in lang through the same
// catalogs: format is its key, a string literal as for mashang.Errorf (the
// catalog tests find the calls of i18n.Notice too).
func Notice(lang language.Tag, format string, args ...any) string {
	if _, ok := catalogs.byKey[format]; !ok {
		return fmt.Sprintf(format, args...)
	}
	return finish(lang, printer(lang).Sprintf(format, renderArgs(lang, format, args)...))
}

// Code returns the generic message of an error code; params, if any, are
// passed on to the client as they are.
func Code(lang language.Tag, code string, params map[string]any) Localized {
	key := CodeKey(code)
	if _, ok := catalogs.byKey[key]; !ok {
		key = CodeKey(mashang.EINTERNAL)
	}
	if params == nil {
		params = map[string]any{}
	}
	return Localized{Message: printer(lang).Sprintf(key), Key: key, Params: params}
}

func printer(lang language.Tag) *message.Printer {
	if lang == English {
		return catalogs.english
	}
	return catalogs.chinese
}

// finish starts an English sentence with a capital (a nested validation
// message such as "temperature … is outside …" may begin a message).
func finish(lang language.Tag, s string) string {
	if lang != English {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// renderArgs renders each argument as its verb in format would, after
// replacing times, nested errors and other errors by text in lang. The
// results are strings: the catalog's messages use %[n]s only, so numbers
// are never regrouped ("12,345") by the printer.
func renderArgs(lang language.Tag, format string, args []any) []any {
	verbs := verbsOf(format)
	out := make([]any, len(args))
	for i, a := range args {
		verb := "%v"
		if i < len(verbs) {
			verb = verbs[i]
		}
		switch v := a.(type) {
		case time.Time:
			out[i] = v.In(ChinaTime).Format(TimeLayout)
			continue
		case *time.Time:
			if v != nil {
				out[i] = v.In(ChinaTime).Format(TimeLayout)
				continue
			}
		case error:
			out[i] = errorText(lang, v)
			continue
		}
		out[i] = fmt.Sprintf(verb, a)
	}
	return out
}

// errorText is a nested error as a phrase: its own message if it is ours,
// a generic phrase (never Go's text) otherwise.
func errorText(lang language.Tag, err error) string {
	var e *mashang.Error
	if errors.As(err, &e) {
		l := Localize(lang, e)
		if lang == English {
			return l.Message
		}
		return strings.TrimSuffix(l.Message, "。")
	}
	return printer(lang).Sprintf(invalidValueKey)
}

// invalidValueKey stands for a Go error given as an argument.
const invalidValueKey = "value.invalid"

// verbsOf lists the verbs of a format in argument order ("%d", "%.0f", "%q").
func verbsOf(format string) []string {
	var verbs []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			break
		}
		if format[j] != '%' {
			verbs = append(verbs, format[i:j+1])
		}
		i = j
	}
	return verbs
}
