package i18n_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/i18n"
)

// TestTimesAreChinaTime: a time in a message is shown at UTC+8 with the
// offset, in both languages and in params.
func TestTimesAreChinaTime(t *testing.T) {
	err := mashang.Errorf(mashang.ETOKENEXPIRED,
		"this code expired at %v; ask the holder to refresh their health code and scan again",
		time.Date(2022, 4, 1, 17, 30, 0, 0, time.UTC))
	const want = "2022-04-02 01:30:00 +08:00"
	zh := i18n.Localize(i18n.Chinese, err)
	if zh.Message != "此码已于 "+want+" 过期：请持码人刷新健康码后重新扫码" || zh.Key != "thisCodeExpiredAt" || zh.Params["ExpiresAt"] != want {
		t.Fatalf("zh = %+v", zh)
	}
	en := i18n.Localize(i18n.English, err)
	if !strings.HasPrefix(en.Message, "This code expired at "+want+";") {
		t.Fatalf("en = %+v", en)
	}
}

// TestGoErrorsNeverShow: a Go error given as an argument is replaced by a
// generic phrase; a nested *mashang.Error is translated; numbers are not regrouped.
func TestGoErrorsNeverShow(t *testing.T) {
	goErr := mashang.Errorf(mashang.EINVALID, "The rule set is not valid JSON: %v.", errString(`strconv.Atoi: parsing "x"`))
	if l := i18n.Localize(i18n.Chinese, goErr); strings.Contains(l.Message, "strconv") || l.Message != "规则集不是有效的 JSON：值无效。" {
		t.Fatalf("zh = %+v", l)
	}
	nested := mashang.Errorf(mashang.EINVALID, "Phone number is not valid: %v.",
		mashang.Errorf(mashang.EINVALID, "phone number must contain digits only"))
	if l := i18n.Localize(i18n.Chinese, nested); l.Message != "手机号码无效：手机号码只能包含数字。" {
		t.Fatalf("zh = %+v", l)
	}
	if l := i18n.Localize(i18n.English, mashang.Errorf(mashang.ENOTFOUND, "No account %d.", 123456)); l.Message != "No account 123456." || l.Params["AccountID"] != "123456" {
		t.Fatalf("en = %+v", l)
	}
	if l := i18n.Localize(i18n.Chinese, errString("boom")); l.Key != "code.INTERNAL" || strings.Contains(l.Message, "boom") {
		t.Fatalf("internal = %+v", l)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
