package demo

import "github.com/mashang/mashang/scenario"

// The 朝阳区 (长春) part of the demo: at least one site of every category of
// scenario.All(), hung under real streets and communities of the extract,
// with the organisations behind them. Names of public places are real or
// ordinary; companies are invented. Coordinates are around 43.83°N,
// 125.29°E; vehicles have none (they move, seed 003 §二(五)).

// unitSpec is an organisation of the demo.
type unitSpec struct {
	name   string
	kind   string // 机关, 事业单位, 群团 or 企业 (decides the code's first two characters)
	region string // division code of its seat
	sector scenario.Sector
}

var chaoyangUnits = []unitSpec{
	{"长春市朝阳区人民政府", "机关", "220104", scenario.SectorGovernment},
	{"长春市朝阳区政务服务中心", "事业单位", "220104", scenario.SectorGovernment},
	{"长春市朝阳区人民医院", "事业单位", "220104002", scenario.SectorHealth},
	{"长春市南湖公园管理处", "事业单位", "220104003", scenario.SectorHousing},
	{"长春市朝阳区图书馆", "事业单位", "220104005", scenario.SectorCultureTourism},
	{"长春红旗街万达广场商业管理有限公司", "企业", "220104007", scenario.SectorCommerce},
	{"长春南湖宾馆有限责任公司", "企业", "220104003", scenario.SectorCommerce},
	{"长春市朝阳区永昌街道养老服务中心", "事业单位", "220104004", scenario.SectorCivilAffairs},
	{"长春市朝阳区实验小学", "事业单位", "220104002", scenario.SectorEducation},
	{"长春工业经济开发区管理委员会", "机关", "220104009", scenario.SectorIndustry},
	{"长春富锋精密制造有限公司", "企业", "220104009305", scenario.SectorIndustry},
	{"长春市轨道交通集团有限公司", "企业", "2201", scenario.SectorTransport},
	{"长春市公共交通集团有限责任公司", "企业", "2201", scenario.SectorTransport},
	{"长春永春建设工程有限公司", "企业", "220104101", scenario.SectorHousing},
	{"中国工商银行股份有限公司长春南湖支行", "企业", "220104003", scenario.SectorFinance},
}

// coord is a position in degrees.
type coord struct{ lat, lng float64 }

// siteSpec is a site of the demo. A top-level site names its region; a
// sub-site names its parent's key and inherits the region.
type siteSpec struct {
	key      string // for children to refer to
	parent   string // key of the parent site, or ""
	region   string // division code, for top-level sites
	name     string
	category scenario.Category
	sector   scenario.Sector
	unit     string // name of a unitSpec, or ""
	address  string
	at       *coord // nil: no fixed position
	built    bool
	enabled  bool
}

// Sites in creation order; a parent always comes before its children.
var chaoyangSites = []siteSpec{
	{key: "gov", region: "220104", name: "长春市朝阳区人民政府", category: scenario.GovernmentAgency, sector: scenario.SectorGovernment,
		unit: "长春市朝阳区人民政府", address: "吉林省长春市朝阳区 区政府办公楼正门", at: &coord{43.8331, 125.2884}, built: true, enabled: true},
	{key: "hall", region: "220104", name: "朝阳区政务服务中心", category: scenario.GovernmentServiceHall, sector: scenario.SectorGovernment,
		unit: "长春市朝阳区政务服务中心", address: "吉林省长春市朝阳区 政务服务中心一楼大厅入口", at: &coord{43.8319, 125.2903}, built: true, enabled: true},
	{key: "hall-2f", parent: "hall", name: "朝阳区政务服务中心 二楼综合窗口", category: scenario.GovernmentServiceHall, sector: scenario.SectorGovernment,
		unit: "长春市朝阳区政务服务中心", address: "政务服务中心二楼 综合受理区", at: &coord{43.8319, 125.2903}, built: true, enabled: true},

	{key: "hospital", region: "220104002002", name: "长春市朝阳区人民医院", category: scenario.MedicalInstitution, sector: scenario.SectorHealth,
		unit: "长春市朝阳区人民医院", address: "吉林省长春市朝阳区桂林街道自由大路社区 医院正门", at: &coord{43.8601, 125.3078}, built: true, enabled: true},
	{key: "hospital-opd", parent: "hospital", name: "门诊楼", category: scenario.MedicalInstitution, sector: scenario.SectorHealth,
		unit: "长春市朝阳区人民医院", address: "门诊楼一层入口", at: &coord{43.8603, 125.3076}, built: true, enabled: true},
	{key: "hospital-fever", parent: "hospital-opd", name: "发热门诊", category: scenario.MedicalInstitution, sector: scenario.SectorHealth,
		unit: "长春市朝阳区人民医院", address: "门诊楼东侧 发热门诊独立入口", at: &coord{43.8604, 125.3081}, built: true, enabled: true},
	{key: "hospital-ward", parent: "hospital", name: "住院部入口", category: scenario.MedicalInstitution, sector: scenario.SectorHealth,
		unit: "长春市朝阳区人民医院", address: "住院部一层 探视登记处", at: &coord{43.8598, 125.3083}, built: true, enabled: true},

	{key: "park", region: "220104003", name: "南湖公园", category: scenario.Park, sector: scenario.SectorHousing,
		unit: "长春市南湖公园管理处", address: "吉林省长春市朝阳区南湖街道 南湖公园正门", at: &coord{43.8562, 125.2967}, built: true, enabled: true},
	{key: "park-north", parent: "park", name: "南湖公园北门", category: scenario.Park, sector: scenario.SectorHousing,
		unit: "长春市南湖公园管理处", address: "南湖公园北门 游客入口", at: &coord{43.8618, 125.2981}, built: true, enabled: true},
	{key: "museum", region: "220104007", name: "长影旧址博物馆", category: scenario.ScenicSpot, sector: scenario.SectorCultureTourism,
		address: "吉林省长春市朝阳区红旗街1118号", at: &coord{43.8727, 125.2862}, built: true, enabled: true},
	{key: "fitness", region: "220104006", name: "朝阳区全民健身中心", category: scenario.SportsVenue, sector: scenario.SectorCultureTourism,
		address: "吉林省长春市朝阳区清和街道 全民健身中心入口", at: &coord{43.8802, 125.2945}, built: true, enabled: true},
	{key: "library", region: "220104005", name: "长春市朝阳区图书馆", category: scenario.IndoorVenue, sector: scenario.SectorCultureTourism,
		unit: "长春市朝阳区图书馆", address: "吉林省长春市朝阳区重庆街道 图书馆正门", at: &coord{43.8856, 125.3121}, built: true, enabled: true},

	{key: "mall", region: "220104007004", name: "红旗街万达广场", category: scenario.ShoppingDining, sector: scenario.SectorCommerce,
		unit: "长春红旗街万达广场商业管理有限公司", address: "吉林省长春市朝阳区红旗街道延安社区 万达广场南门", at: &coord{43.8712, 125.2849}, built: true, enabled: true},
	{key: "mall-cinema", parent: "mall", name: "红旗街万达影城", category: scenario.EnclosedEntertainment, sector: scenario.SectorCultureTourism,
		unit: "长春红旗街万达广场商业管理有限公司", address: "万达广场四楼 影城检票口", at: &coord{43.8713, 125.2851}, built: true, enabled: true},
	{key: "mall-garage", parent: "mall", name: "万达广场地下停车场入口", category: scenario.ShoppingDining, sector: scenario.SectorCommerce,
		unit: "长春红旗街万达广场商业管理有限公司", address: "万达广场负一层 电梯厅", at: &coord{43.8709, 125.2846}, built: true, enabled: true},

	{key: "hotel", region: "220104003001", name: "南湖宾馆", category: scenario.Hotel, sector: scenario.SectorCommerce,
		unit: "长春南湖宾馆有限责任公司", address: "吉林省长春市朝阳区南湖街道湖苑社区 南湖宾馆大堂", at: &coord{43.8535, 125.2921}, built: true, enabled: true},
	{key: "hotel-conference", parent: "hotel", name: "南湖宾馆会议中心", category: scenario.ConferenceExhibition, sector: scenario.SectorCommerce,
		unit: "长春南湖宾馆有限责任公司", address: "南湖宾馆会议中心 签到处", at: &coord{43.8529, 125.2930}, built: true, enabled: true},

	{key: "elderly", region: "220104004005", name: "永昌街道养老服务中心", category: scenario.KeyInstitution, sector: scenario.SectorCivilAffairs,
		unit: "长春市朝阳区永昌街道养老服务中心", address: "吉林省长春市朝阳区永昌街道杏花村社区 养老服务中心门卫室", at: &coord{43.8893, 125.3047}, built: true, enabled: true},
	{key: "school", region: "220104002003", name: "长春市朝阳区实验小学", category: scenario.School, sector: scenario.SectorEducation,
		unit: "长春市朝阳区实验小学", address: "吉林省长春市朝阳区桂林街道同光路东社区 学校北门", at: &coord{43.8637, 125.3012}, built: true, enabled: true},
	{key: "school-south", parent: "school", name: "南门", category: scenario.School, sector: scenario.SectorEducation,
		unit: "长春市朝阳区实验小学", address: "学校南门 家长接送区", at: &coord{43.8629, 125.3014}, built: true, enabled: true},

	{key: "community", region: "220104001005", name: "湖光社区居委会", category: scenario.Community, sector: scenario.SectorCivilAffairs,
		address: "吉林省长春市朝阳区前进街道湖光社区 居委会办公室", at: &coord{43.8268, 125.2698}, built: true, enabled: true},
	{key: "village", region: "220104100200", name: "乐山村村委会", category: scenario.Community, sector: scenario.SectorCivilAffairs,
		address: "吉林省长春市朝阳区乐山镇乐山村 村委会", at: &coord{43.7952, 125.2331}, built: false, enabled: false},
	{key: "compound", region: "220104002007", name: "科技花园小区", category: scenario.ResidentialCompound, sector: scenario.SectorHousing,
		address: "吉林省长春市朝阳区桂林街道科技花园社区", at: &coord{43.8577, 125.3129}, built: true, enabled: true},
	{key: "compound-east", parent: "compound", name: "科技花园小区 东门", category: scenario.ResidentialCompound, sector: scenario.SectorHousing,
		address: "科技花园小区东门 岗亭", at: &coord{43.8578, 125.3137}, built: true, enabled: true},
	{key: "compound-west", parent: "compound", name: "科技花园小区 西门", category: scenario.ResidentialCompound, sector: scenario.SectorHousing,
		address: "科技花园小区西门 岗亭", at: &coord{43.8576, 125.3121}, built: true, enabled: true},

	{key: "ipark", region: "220104009", name: "长春工业经济开发区", category: scenario.IndustrialPark, sector: scenario.SectorIndustry,
		unit: "长春工业经济开发区管理委员会", address: "吉林省长春市朝阳区富锋街道 开发区管委会大门", at: &coord{43.8051, 125.2402}, built: true, enabled: true},
	{key: "ipark-firm", parent: "ipark", name: "长春富锋精密制造有限公司", category: scenario.Enterprise, sector: scenario.SectorIndustry,
		unit: "长春富锋精密制造有限公司", address: "开发区双山路 厂区大门", at: &coord{43.8032, 125.2376}, built: true, enabled: true},
	{key: "ipark-workshop", parent: "ipark-firm", name: "一号生产车间", category: scenario.ProductionSite, sector: scenario.SectorIndustry,
		unit: "长春富锋精密制造有限公司", address: "厂区一号车间 更衣室入口", at: &coord{43.8029, 125.2381}, built: true, enabled: true},
	{key: "worksite", region: "220104101200", name: "永春镇长春堡村安置房项目工地", category: scenario.ConstructionSite, sector: scenario.SectorHousing,
		unit: "长春永春建设工程有限公司", address: "吉林省长春市朝阳区永春镇长春堡村 项目部大门", at: &coord{43.7869, 125.2588}, built: true, enabled: true},

	{key: "station", region: "220104007", name: "轻轨3号线红旗街站", category: scenario.TransportHub, sector: scenario.SectorTransport,
		unit: "长春市轨道交通集团有限公司", address: "吉林省长春市朝阳区红旗街道 轻轨红旗街站B口", at: &coord{43.8719, 125.2878}, built: true, enabled: true},
	{key: "train", region: "220104", name: "轻轨3号线列车 3012号车组", category: scenario.PublicTransport, sector: scenario.SectorTransport,
		unit: "长春市轨道交通集团有限公司", address: "轻轨3号线 车厢内", built: true, enabled: true},
	{key: "bus", region: "220104", name: "公交62路 吉A·D6201", category: scenario.Bus, sector: scenario.SectorTransport,
		unit: "长春市公共交通集团有限责任公司", address: "前门刷卡机旁", built: true, enabled: true},
	{key: "taxi", region: "220104", name: "出租车 吉A·T3158", category: scenario.Taxi, sector: scenario.SectorTransport,
		address: "副驾驶座椅背", built: true, enabled: true},

	{key: "bank", region: "220104003003", name: "工商银行长春南湖支行营业厅", category: scenario.ServiceOutlet, sector: scenario.SectorFinance,
		unit: "中国工商银行股份有限公司长春南湖支行", address: "吉林省长春市朝阳区南湖街道湖东社区 营业厅入口", at: &coord{43.8489, 125.3052}, built: true, enabled: true},
	{key: "market", region: "220104004003", name: "惠民菜市场", category: scenario.FarmersMarket, sector: scenario.SectorCommerce,
		address: "吉林省长春市朝阳区永昌街道惠民社区 菜市场东入口", at: &coord{43.8922, 125.3098}, built: true, enabled: true},
}
