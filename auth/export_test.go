package auth

// KDFRuns is the number of Argon2id runs so far (tests only).
func KDFRuns() int64 { return kdfRuns.Load() }
