// Package scenario holds the fixed vocabularies of places: the site
// categories of the verification scenarios (seed 004 annex, seed 003 §二)
// with their verification policy, and the supervising sectors (行业主管部门).
package scenario

// Policy says whether verifying codes at a category of site is required.
type Policy string

// Policies of seed 004 annex column 强制/鼓励.
const (
	Mandatory  Policy = "MANDATORY"
	Encouraged Policy = "ENCOURAGED"
)

// Category is the kind of a site.
type Category string

// Categories. The first nineteen are the rows of seed 004's annex
// (八闽健康码应用场景细化清单) in its order; the rest are the scenarios seed 003
// §二 adds (vehicles, construction sites and parks, service outlets, markets).
const (
	Park                  Category = "PARK"
	ScenicSpot            Category = "SCENIC_SPOT"
	SportsVenue           Category = "SPORTS_VENUE"
	IndoorVenue           Category = "INDOOR_VENUE"
	EnclosedEntertainment Category = "ENCLOSED_ENTERTAINMENT"
	ConferenceExhibition  Category = "CONFERENCE_EXHIBITION"
	KeyInstitution        Category = "KEY_INSTITUTION"
	MedicalInstitution    Category = "MEDICAL_INSTITUTION"
	GovernmentServiceHall Category = "GOVERNMENT_SERVICE_HALL"
	Hotel                 Category = "HOTEL"
	School                Category = "SCHOOL"
	GovernmentAgency      Category = "GOVERNMENT_AGENCY"
	Community             Category = "COMMUNITY"
	ResidentialCompound   Category = "RESIDENTIAL_COMPOUND"
	Enterprise            Category = "ENTERPRISE"
	ProductionSite        Category = "PRODUCTION_SITE"
	TransportHub          Category = "TRANSPORT_HUB"
	PublicTransport       Category = "PUBLIC_TRANSPORT"
	ShoppingDining        Category = "SHOPPING_DINING"
	Bus                   Category = "BUS"
	Taxi                  Category = "TAXI"
	ConstructionSite      Category = "CONSTRUCTION_SITE"
	IndustrialPark        Category = "INDUSTRIAL_PARK"
	ServiceOutlet         Category = "SERVICE_OUTLET"
	FarmersMarket         Category = "FARMERS_MARKET"
)

// Info describes a category.
type Info struct {
	Category Category
	Name     string // the seed's own wording
	Policy   Policy
	// Vehicle sites move: they have no geofence (seed 003 §二(五)).
	IsVehicle bool
	Source    string // where the row comes from
}

var infos = []Info{
	{Park, "公园", Mandatory, false, "seed 004 annex"},
	{ScenicSpot, "旅游景点", Mandatory, false, "seed 004 annex"},
	{SportsVenue, "运动场所", Mandatory, false, "seed 004 annex"},
	{IndoorVenue, "图书馆、博物馆、美术馆等室内场馆", Mandatory, false, "seed 004 annex"},
	{EnclosedEntertainment, "影剧院、游艺厅等密闭式娱乐休闲场所", Mandatory, false, "seed 004 annex"},
	{ConferenceExhibition, "可举办各类必要的会议、会展活动的场所", Mandatory, false, "seed 004 annex"},
	{KeyInstitution, "养老机构、福利院、监所、精神卫生医疗机构等重点机构", Mandatory, false, "seed 004 annex"},
	{MedicalInstitution, "医疗机构", Mandatory, false, "seed 004 annex"},
	{GovernmentServiceHall, "政务服务大厅", Mandatory, false, "seed 004 annex"},
	{Hotel, "酒店", Mandatory, false, "seed 004 annex"},
	{School, "学校", Encouraged, false, "seed 004 annex"},
	{GovernmentAgency, "机关事业单位", Encouraged, false, "seed 004 annex"},
	{Community, "社区(村居)", Encouraged, false, "seed 004 annex"},
	{ResidentialCompound, "住宅小区、商业小区", Encouraged, false, "seed 004 annex"},
	{Enterprise, "企业", Encouraged, false, "seed 004 annex"},
	{ProductionSite, "生产加工场所", Encouraged, false, "seed 004 annex"},
	{TransportHub, "汽车站、火车站、港口、机场等交通枢纽", Encouraged, false, "seed 004 annex"},
	{PublicTransport, "公共交通工具", Encouraged, true, "seed 004 annex"},
	{ShoppingDining, "商场、超市、餐饮店", Encouraged, false, "seed 004 annex"},
	// Seed 003 §二(五): 在公交车、出租车实行扫码乘车 — public transport in seed
	// 004's terms, so encouraged, and vehicles.
	{Bus, "公交车", Encouraged, true, "seed 003 §二(五)"},
	{Taxi, "出租车", Encouraged, true, "seed 003 §二(五)"},
	// Seed 003 §二(二): 企业、工地、园区 — 凭码上岗; enterprises are encouraged in seed 004.
	{ConstructionSite, "工地", Encouraged, false, "seed 003 §二(二)"},
	{IndustrialPark, "园区", Encouraged, false, "seed 003 §二(二)"},
	// Seed 003 §二(四): 银行、通信、邮政、自来水、电力…服务网点 "要配备专人核验".
	{ServiceOutlet, "银行、通信、邮政、水电气等服务网点", Mandatory, false, "seed 003 §二(四)"},
	// Seed 003 §二(三): 商超、餐馆、菜市 — shops and restaurants are encouraged in seed 004.
	{FarmersMarket, "菜市", Encouraged, false, "seed 003 §二(三)"},
}

var byCategory = func() map[Category]Info {
	m := make(map[Category]Info, len(infos))
	for _, i := range infos {
		m[i.Category] = i
	}
	return m
}()

// Values lists every category; ent uses it for the enum column.
func (Category) Values() []string {
	out := make([]string, len(infos))
	for i, info := range infos {
		out[i] = string(info.Category)
	}
	return out
}

// Info returns the description of the category; ok is false for an unknown one.
func (c Category) Info() (Info, bool) {
	i, ok := byCategory[c]
	return i, ok
}

// All returns every category in the seeds' order.
func All() []Info { return append([]Info(nil), infos...) }

// Sector is the supervising department of a unit or site (行业主管部门);
// OFFICIAL accounts may be limited to one.
type Sector string

// Sectors, after the responsible departments named in seed 003 §二.
const (
	SectorGovernment     Sector = "GOVERNMENT"      // 政务、机关事业单位
	SectorHealth         Sector = "HEALTH"          // 卫健委
	SectorEducation      Sector = "EDUCATION"       // 教体局
	SectorCommerce       Sector = "COMMERCE"        // 商务局、市场监管局
	SectorCultureTourism Sector = "CULTURE_TOURISM" // 文旅局
	SectorTransport      Sector = "TRANSPORT"       // 交运局
	SectorHousing        Sector = "HOUSING"         // 住建局
	SectorIndustry       Sector = "INDUSTRY"        // 经信局、开发区
	SectorPublicSecurity Sector = "PUBLIC_SECURITY" // 公安局
	SectorCivilAffairs   Sector = "CIVIL_AFFAIRS"   // 民政局
	SectorFinance        Sector = "FINANCE"         // 银保监、金融机构
	SectorUtilities      Sector = "UTILITIES"       // 通信、邮政、水电气
	SectorOther          Sector = "OTHER"
)

// Values lists every sector; ent uses it for the enum column.
func (Sector) Values() []string {
	return []string{
		string(SectorGovernment), string(SectorHealth), string(SectorEducation), string(SectorCommerce),
		string(SectorCultureTourism), string(SectorTransport), string(SectorHousing), string(SectorIndustry),
		string(SectorPublicSecurity), string(SectorCivilAffairs), string(SectorFinance), string(SectorUtilities),
		string(SectorOther),
	}
}
