package stats

import "github.com/mashang/mashang/scenario"

// The Chinese labels of the exports (STYLE.md rule 8: enum values by their
// Chinese labels). Site categories take the seeds' own wording
// (scenario.Info.Name); the rest follow the seeds' vocabulary.
var (
	measureLabels = map[Measure]string{
		Measure(Registrations):      "注册人数",
		Measure(Scans):              "扫码次数",
		Measure(Fevers):             "发热人次",
		Measure(PeopleScanned):      "扫码人数",
		Measure(AlertsRaised):       "预警推送数",
		Measure(AlertsAssigned):     "预警派单数",
		Measure(AlertsVisited):      "上门核实数",
		Measure(AlertsClosed):       "预警办结数",
		MeanVisitMinutes:            "平均核实用时（分钟）",
		Measure(ControlListChanges): "管控名单变更人数",
		Measure(ColourChanges):      "赋码颜色变更数",
		AccountsActive:              "在用扫码员账号",
		AccountsDisabled:            "禁用扫码员账号",
		Measure(Sites):              "站点数",
		Measure(SitesBuilt):         "已建站点数",
		Measure(SitesEnabled):       "启用站点数",
		Measure(SitesScanning):      "有扫码站点数",
	}
	dimensionLabels = map[Dimension]string{
		DimRegion: "地区", DimSite: "站点", DimDay: "日期", DimWeek: "周（周一）", DimMonth: "月份",
		DimCategory: "场所类别", DimSector: "行业主管部门", DimMethod: "核验方式", DimColour: "颜色", DimDecision: "核验结果",
	}
	sectorLabels = map[string]string{
		"GOVERNMENT": "政务、机关事业单位", "HEALTH": "卫健委", "EDUCATION": "教体局", "COMMERCE": "商务局、市场监管局",
		"CULTURE_TOURISM": "文旅局", "TRANSPORT": "交运局", "HOUSING": "住建局", "INDUSTRY": "经信局、开发区",
		"PUBLIC_SECURITY": "公安局", "CIVIL_AFFAIRS": "民政局", "FINANCE": "银保监、金融机构", "UTILITIES": "通信、邮政、水电气", "OTHER": "其他",
	}
	colourLabels   = map[string]string{"GREEN": "绿码", "YELLOW": "黄码", "ORANGE": "橙码", "RED": "红码"}
	methodLabels   = map[string]string{"SCAN_CODE": "扫码", "SHOW_CODE": "亮码", "SELF_SCAN": "自助扫码", "MANUAL": "手工登记"}
	decisionLabels = map[string]string{"PASS": "通过", "DENY": "拒绝"}
	periodLabels   = map[Period]string{Today: "今日", Yesterday: "昨日", Last7Days: "近7日", Last14Days: "近14日",
		Last30Days: "近30日", ThisWeek: "本周", ThisMonth: "本月", LastMonth: "上月"}
)

func categoryLabel(c string) string {
	if i, ok := scenario.Category(c).Info(); ok {
		return i.Name
	}
	return c
}

// label returns the Chinese label of v in m, v itself when it has none.
func label(m map[string]string, v string) string {
	if l, ok := m[v]; ok {
		return l
	}
	return v
}
