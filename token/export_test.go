package token

// CachedForTest is the number of tokens in the verified cache.
func (t *TrustList) CachedForTest() int {
	t.cmu.Lock()
	defer t.cmu.Unlock()
	return len(t.cache)
}
