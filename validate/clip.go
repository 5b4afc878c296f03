package validate

// Clip cuts s to at most n characters (runes), for text that must fit a
// column whose limit counts characters (the ent schemas' MaxRuneLen, as
// PostgreSQL's varchar(n) does): a site name in an alert, an SMS body, a
// row error, an audit target. A cut never splits a UTF-8 character.
func Clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s // n bytes hold at most n characters
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
