package authz

import (
	"strings"

	"github.com/mashang/mashang"
)

// Access says who may call a root field of the API (STYLE.md: every
// Query/Mutation field is classified; graph/classify_test.go fails on a field
// missing here, on an entry for a field that no longer exists, and on a
// Policy entry with no line in policy.csv).
type Access string

const (
	// Public fields answer anyone, even an anonymous caller. What they
	// return is still filtered by the scope filter (node, nodes) or is public
	// information (the division tree, the site categories).
	Public Access = "PUBLIC"
	// Authenticated fields need a logged-in account and no particular
	// permission: lists filtered by the acting account's scope (filter.go),
	// and what a person does to their own session or account.
	Authenticated Access = "AUTHENTICATED"
	// Policy fields are decided by Casbin: the acting role (or one of its
	// grants) needs the line Object, Action of policy.csv, within its reach.
	Policy Access = "POLICY"
)

// AnyAccountRole stands for the role part of an account object whose role is
// an argument (createAccount's input.role, the role of the replaced account):
// "account:*" matches the policy lines "account:<role>".
const AnyAccountRole = "*"

// Classification says who may call one root field.
type Classification struct {
	Access Access
	// Object and Action name the policy.csv line a Policy field checks
	// (empty for Public and Authenticated fields).
	Object, Action string
}

// Matches reports whether a policy line is one this classification checks:
// the same action and object, "account:*" matching every "account:<role>".
func (c Classification) Matches(p Permission) bool {
	if c.Action != p.Action {
		return false
	}
	if prefix, ok := strings.CutSuffix(c.Object, ":"+AnyAccountRole); ok {
		return strings.HasPrefix(p.Object, prefix+":")
	}
	return c.Object == p.Object
}

func policy(obj, act string) Classification {
	return Classification{Access: Policy, Object: obj, Action: act}
}

var (
	public        = Classification{Access: Public}
	authenticated = Classification{Access: Authenticated}
)

// RootFields classifies every root field of the GraphQL schema, keyed
// "Type.field". A field added to the schema fails graph's classification
// test until it is listed here, so nobody ships a field without deciding who
// may call it.
var RootFields = map[string]Classification{
	// The division tree and the site categories are public information.
	"Query.regions":        public,
	"Query.regionByCode":   public,
	"Query.siteCategories": public,
	// node/nodes answer anyone, but through the scope filter: an anonymous
	// caller finds regions only.
	"Query.node":  public,
	"Query.nodes": public,
	// null for an anonymous caller.
	"Query.viewer": public,

	// Lists: every row filtered by the acting account's scope.
	"Query.sites":        authenticated,
	"Query.units":        authenticated,
	"Query.accounts":     authenticated,
	"Query.applications": authenticated,
	"Query.persons":      authenticated,
	"Query.scans":        authenticated,
	"Query.alerts":       authenticated,
	// The requests waiting for the acting account as direct superior.
	"Query.pendingReactivations": authenticated,
	// Every grant for the INITIATOR, the acting account's own for others.
	"Query.grants": authenticated,

	// Establishing who the caller is.
	"Mutation.login":        public,
	"Mutation.refreshToken": public,
	// A person's own session and accounts.
	"Mutation.logout":        authenticated,
	"Mutation.switchAccount": authenticated,
	// Only the holder of the disabled account may file it.
	"Mutation.requestReactivation": authenticated,
	// Only the person an account waits for accepts or refuses it.
	"Mutation.acceptAccountBinding":  authenticated,
	"Mutation.declineAccountBinding": authenticated,
	// The holder, or a superior who may replace them (accounts.SetHolderIDNumber).
	"Mutation.setAccountHolderIdNumber": authenticated,

	// Accounts (seed 001 §6, §10): the role asked for decides the object.
	"Mutation.createAccount":   policy(AccountObject(AnyAccountRole), ActCreate),
	"Mutation.replaceAccount":  policy(AccountObject(AnyAccountRole), ActReplace),
	"Mutation.disableAccount":  policy(ObjAccount, ActDisable),
	"Mutation.activateAccount": policy(ObjAccount, ActActivate),
	// Senior applications (seed 001 §9).
	"Mutation.submitSeniorApplication": policy(ObjApplication, ActSubmit),
	"Mutation.decideApplication":       policy(ObjApplication, ActDecide),
	// Time-limited grants, given by the province only (seed 001 §11).
	"Mutation.giveGrant":   policy(ObjGrant, ActGive),
	"Mutation.revokeGrant": policy(ObjGrant, ActRevoke),
	// Sites. moveSite also asks site create where the site goes.
	"Mutation.createSite":    policy(ObjSite, ActCreate),
	"Mutation.updateSite":    policy(ObjSite, ActUpdate),
	"Mutation.setSiteStatus": policy(ObjSite, ActUpdate),
	"Mutation.moveSite":      policy(ObjSite, ActUpdate),

	// Health codes (issue 4). A citizen registers and acts for themself
	// with the personToken handed out at registration; officials and grid
	// workers act for the residents their scope filter shows them.
	"Mutation.registerPerson": public,
	"Mutation.declareHealth":  public,
	"Mutation.issueCode":      public,
	// Self-scan (issue 11, point 6): the resident's personToken and the
	// site's code are the credentials, checked by scans.Service.SelfScan.
	"Mutation.selfScan": public,
	// Whoever may update the site or record scans at it shows its code.
	"Mutation.issueSiteCode":  authenticated,
	"Mutation.setRisk":        policy(ObjPerson, ActSetRisk),
	"Mutation.addTestResult":  policy(ObjPerson, ActTest),
	"Mutation.publishRuleSet": policy(ObjRuleSet, ActPublish),
	"Query.ruleSets":          authenticated,
	// The dry run of publishRuleSet, for whoever may publish.
	"Query.previewRuleSet": policy(ObjRuleSet, ActPublish),
	// Statistics (issue 12; seed 002 统计权限): stats.Query.checkScope asks
	// the statistics line with the node counted under, and the sector of
	// a sector-limited official or of a SECTOR_STATISTICS grant.
	"Query.stats":               policy(ObjStatistics, ActRead),
	"Mutation.startStatsExport": policy(ObjStatistics, ActRead),
	"Mutation.startDailyReport": policy(ObjStatistics, ActRead),
	// Scan records in bulk (issue 14), masked, within the caller's scope
	// (stats.Exports.StartScans checks the line again with the subtree).
	"Mutation.startScansExport": policy(ObjScan, ActExport),
	// Only the account that started an export sees it (stats.Exports.Job).
	"Query.statsExportJob": authenticated,
	// The key-area list is data like the rules (issue 11, point 11).
	"Mutation.publishKeyAreas": policy(ObjRuleSet, ActPublish),
	"Query.keyAreas":           authenticated,
	// The resident's own record, with the personToken.
	"Query.myPerson": public,
	// Scans (seed 001 §7): per site, within the scanner's scope.
	"Mutation.recordScan":  policy(ObjScan, ActRecord),
	"Mutation.recordScans": policy(ObjScan, ActRecord),
	// Control lists (seed 000 §五.2); a job is seen by its submitter.
	"Mutation.importControlList": policy(ObjControlList, ActImport),
	"Query.controlListImport":    authenticated,
	"Query.controlListImports":   authenticated,
	// Alerts: package alerts decides who may take which step.
	"Mutation.handleAlert":     authenticated,
	"Mutation.pauseAlerts":     policy(ObjAlert, ActPause),
	"Query.alertPauses":        authenticated,
	"Subscription.alertRaised": policy(ObjAlert, ActSubscribe),
	// Tracing needs a TRACER grant (seed 001 §11); every call is audited.
	"Query.personTrajectory": policy(ObjPerson, ActTrace),
	"Query.coLocated":        policy(ObjPerson, ActTrace),
	"Query.auditEvents":      policy(ObjAudit, ActRead),
	// Issue 12: registration progress and supervision are statistics
	// (targets.CanRead, supervision.Service.sectorsOf); populations and
	// targets are set by the province and the districts (targets.CanSet).
	"Query.registrationRanking":        policy(ObjStatistics, ActRead),
	"Query.supervision":                policy(ObjStatistics, ActRead),
	"Mutation.setRegionPopulation":     policy(ObjRegion, ActSetTarget),
	"Mutation.importRegionPopulations": policy(ObjRegion, ActSetTarget),
	// Trusted documents (issue 12, point 6): the owner sees its own, the
	// INITIATOR every one (the scope filter); registering and deciding
	// are policy lines. Calling one by id is no field: it runs as the
	// document's own root fields, each classified here.
	"Query.persistedQueries":          authenticated,
	"Mutation.registerPersistedQuery": policy(ObjPersistedQuery, ActRegister),
	"Mutation.decidePersistedQuery":   policy(ObjPersistedQuery, ActDecide),
}

// PolicyRoles are every role policy.csv may name: the account roles and the
// kinds of time-limited grants.
var PolicyRoles = []string{
	mashang.RoleInitiator, mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleOrdinary,
	mashang.RoleOfficial, mashang.RoleGridWorker,
	mashang.GrantPIIViewer, mashang.GrantTracer, mashang.GrantSectorStatistics,
}
