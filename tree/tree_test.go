package tree_test

import (
	"slices"
	"testing"

	"github.com/mashang/mashang/tree"
)

func TestPaths(t *testing.T) {
	prov := tree.RegionPath("", "22")
	city := tree.RegionPath(prov, "2201")
	dist := tree.RegionPath(city, "220104")
	if dist != "/22/2201/220104/" {
		t.Fatalf("district path = %q", dist)
	}
	site := tree.SitePath(tree.RegionPath(tree.RegionPath(dist, "220104001"), "220104001001"), 8812)
	if site != "/22/2201/220104/220104001/220104001001/s8812/" {
		t.Fatalf("site path = %q", site)
	}
	sub := tree.SitePath(site, 9001)
	if got := tree.AncestorRegionCodes(sub); !slices.Equal(got, []string{"22", "2201", "220104", "220104001", "220104001001"}) {
		t.Fatalf("ancestor codes of sub-site = %v", got)
	}
	if got := tree.AncestorRegionCodes(dist); !slices.Equal(got, []string{"22", "2201"}) {
		t.Fatalf("ancestor codes of district = %v", got)
	}
	if got := tree.RegionCodes(dist); !slices.Equal(got, []string{"22", "2201", "220104"}) {
		t.Fatalf("region codes of district = %v", got)
	}
}

func TestBoundsSelectExactlyTheSubtree(t *testing.T) {
	p := "/22/2201/"
	lo, hi := tree.Bounds(p)
	in := []string{"/22/2201/", "/22/2201/220104/", "/22/2201/220104/s1/s2/"}
	out := []string{"/22/2202/", "/22/22010/", "/22/220/", "/22/", "/23/2201/", "/22/2201"}
	for _, n := range in {
		if !(n >= lo && n < hi) || !tree.Contains(p, n) {
			t.Errorf("%s should be in the subtree of %s", n, p)
		}
	}
	for _, n := range out {
		if n >= lo && n < hi {
			t.Errorf("%s should not be in the range of %s", n, p)
		}
		if tree.Contains(p, n) {
			t.Errorf("%s should not be contained in %s", n, p)
		}
	}
}

func TestRebase(t *testing.T) {
	got := tree.Rebase("/34/3418/341881/s5/s9/", "/34/3418/341881/s5/", "/34/3418/341881/341881001/s5/")
	if got != "/34/3418/341881/341881001/s5/s9/" {
		t.Fatalf("rebase = %q", got)
	}
}
