package ratelimit

// MemoryKeys is the number of keys m holds (tests only).
func MemoryKeys(m *Memory) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.buckets) + len(m.counters) + len(m.blocks)
}
