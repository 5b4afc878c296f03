package database

// backfills are the data steps that follow a generated migration, keyed by
// the migration's description (the part of its file name after the
// version). They run in the migration's own transaction, right after its
// statements, so an upgraded database never shows the new columns without
// their values. The migration files stay exactly as cmd/migrategen writes
// them; only what no schema diff can express is written here by hand, in
// SQL that both dialects accept.
var backfills = map[string][]string{
	// Issue 11 (points 1 and 4): scans recorded before the upgrade get the
	// presence their method implied, and a record of a known person or of
	// an identity's lookup hash counts as one whose identity was captured.
	"issue10_11": {
		`UPDATE scans SET identity_captured = (person_id IS NOT NULL OR id_number_hash IS NOT NULL)`,
		`UPDATE scans SET presence = CASE method
			WHEN 'SCAN_CODE' THEN 'CODE'
			WHEN 'SELF_SCAN' THEN 'CODE'
			WHEN 'SHOW_CODE' THEN CASE WHEN person_id IS NULL THEN 'SHOWN' ELSE 'ATTESTED' END
			ELSE 'REGISTERED' END
		WHERE presence IS NULL`,
	},
	// Issue 12 (statistics, scans by site category): scans recorded before
	// the upgrade get their site's category. The coordinator renames this
	// key to the description of the merged migration.
	"issue12_rollscan": {
		`UPDATE scans SET category = (SELECT sites.category FROM sites WHERE sites.id = scans.site_id) WHERE category IS NULL`,
	},
}
