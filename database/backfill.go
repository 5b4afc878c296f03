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
	// Issue 12 (statistics): scans recorded before the upgrade get their
	// site's category; colour changes get the class of their cause, read
	// from its text (the triggers persons writes; a control list's changes
	// read as an official's risk change), and the residence of their person
	// as it is now.
	"issue12": {
		`UPDATE scans SET category = (SELECT sites.category FROM sites WHERE sites.id = scans.site_id) WHERE category IS NULL`,
		`UPDATE colour_changes SET cause_class = CASE
			WHEN cause LIKE 'risk set to %' THEN 'RISK'
			WHEN cause LIKE 'on-site temperature %' AND to_colour = 'GREEN' THEN 'NORMAL_TEMPERATURE'
			WHEN cause LIKE 'on-site temperature %' THEN 'FEVER'
			WHEN cause LIKE 'quarantine ended%' THEN 'QUARANTINE_ENDED'
			WHEN cause LIKE '% test % recorded%' THEN 'TEST'
			WHEN cause LIKE '%daily declaration%' THEN 'DECLARATION'
			ELSE 'OTHER' END`,
		`UPDATE colour_changes SET residence_path = COALESCE((SELECT p.residence_path FROM persons p WHERE p.id = colour_changes.person_id), '')`,
	},
}
