package outbox

import "fmt"

// Statuses and reasons understood by StatusChangeSMS. The DISABLED reasons
// are the account schema's disabled_reason values; the two holder events
// describe 更换 (replacing the holder keeps the account, DESIGN.md §5).
const (
	StatusActive   = "ACTIVE"
	StatusDisabled = "DISABLED"

	ReasonManual       = "MANUAL"
	ReasonCascade      = "CASCADE"
	ReasonSilent       = "SILENT"
	ReasonGeofence     = "GEOFENCE"
	ReasonCodeNotGreen = "CODE_NOT_GREEN"

	// With status ACTIVE: the account was just opened for this holder.
	ReasonCreated = "CREATED"
	// With status ACTIVE: the account was re-activated by its superior
	// (an empty reason means the same).
	ReasonActivated = "ACTIVATED"
	// With status ACTIVE: the account was handed to this (new) holder.
	ReasonHolderAssigned = "HOLDER_ASSIGNED"
	// Sent to the previous holder: the account was handed to someone else.
	ReasonHolderReplaced = "HOLDER_REPLACED"
)

// DefaultSilentDays is the seed's silence threshold (seed 001 §10:
// 15天内未进行登录等任何操作的为静默扫码员).
const DefaultSilentDays = 15

const smsSign = "【码上】"

// RoleName is the Chinese name of an account role as the holder knows it.
func RoleName(role string) string {
	switch role {
	case "INITIATOR":
		return "发起扫码员"
	case "SENIOR":
		return "高级扫码员"
	case "INTERMEDIATE":
		return "中级扫码员"
	case "ORDINARY":
		return "普通扫码员"
	case "OFFICIAL":
		return "工作人员"
	case "GRID_WORKER":
		return "网格员"
	default:
		return ""
	}
}

// StatusChangeSMS builds the SMS telling a holder that their account's
// status changed (seed 001 §10). It names only the account number and role
// and the kind of change — nothing the holder does not already know, no
// name, phone or ID number, and not who made the change.
func StatusChangeSMS(accountID int, role, status, reason string) string {
	return statusChangeSMS(accountID, role, status, reason, DefaultSilentDays)
}

// SilentSMS is StatusChangeSMS for a SILENT disablement when the configured
// threshold is not the seed's 15 days.
func SilentSMS(accountID int, role string, silentDays int) string {
	if silentDays <= 0 {
		silentDays = DefaultSilentDays
	}
	return statusChangeSMS(accountID, role, StatusDisabled, ReasonSilent, silentDays)
}

func statusChangeSMS(accountID int, role, status, reason string, silentDays int) string {
	acct := fmt.Sprintf("%s账号（编号 %d）", RoleName(role), accountID)
	if RoleName(role) == "" {
		acct = fmt.Sprintf("账号（编号 %d）", accountID)
	}
	// Who re-activates: the direct superior (seed 001 §10: 任何扫码员账号被禁用，
	// 均须向上一级扫码员提出申请，由上一级扫码员对其账号进行激活).
	restore := "如需恢复，请向上一级扫码员申请激活。"
	if role == "OFFICIAL" || role == "GRID_WORKER" {
		restore = "如需恢复，请联系为您开通账号的单位申请激活。"
	}
	switch reason {
	case ReasonHolderReplaced:
		return smsSign + "您持有的" + acct + "已更换持有人，您将不能再使用该账号。如有疑问，请联系上一级扫码员。"
	case ReasonHolderAssigned:
		return smsSign + acct + "已由您接替持有，请使用本手机号登录“码上行动”APP。"
	case ReasonCreated:
		return smsSign + "已为您开通" + acct + "，请使用本手机号登录“码上行动”APP。"
	}
	if status == StatusActive {
		return smsSign + "您的" + acct + "已重新激活，可以正常使用。"
	}
	var why string
	switch reason {
	case ReasonManual:
		why = "：由上级扫码员禁用"
	case ReasonCascade:
		why = "：上级扫码员禁用了其下级及衍生的全部扫码员账号"
	case ReasonSilent:
		why = fmt.Sprintf("：连续%d天未登录或操作", silentDays)
	case ReasonGeofence:
		why = "：扫码位置与场所登记位置不符"
	case ReasonCodeNotGreen:
		// Not the colour itself: the text may be read off the phone's lock
		// screen by someone else.
		why = "：扫码时本人健康码状态不符合上岗要求"
	}
	return smsSign + "您的" + acct + "已被禁用" + why + "。" + restore
}
