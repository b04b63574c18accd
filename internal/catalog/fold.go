package catalog

// IAM matches action names and service prefixes case-insensitively ("IAM JSON
// policy elements: Action"). The names in the catalog are ASCII, so lookups
// fold ASCII letters on the fly instead of lowering the query, which would
// allocate on the hot path.

// lowerASCII folds one ASCII upper-case letter to lower case.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// equalFoldASCII reports whether a and b are equal under ASCII case folding.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// compareFoldASCII orders a and b as their ASCII-lowered forms would order.
func compareFoldASCII(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := lowerASCII(a[i]), lowerASCII(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// hashFold is FNV-1a over the bytes of s with bit 0x20 set: letters that
// differ only in case hash alike, without a branch per byte. (A few
// punctuation pairs hash alike too; equality is checked exactly after.)
func hashFold(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i] | 0x20)
		h *= 16777619
	}
	return h
}

// foldIndex finds a name's position in a list, ignoring ASCII case, with an
// open-addressing hash table: no allocation per lookup.
type foldIndex struct {
	names []string
	slots []int32 // index into names plus one; 0 is an empty slot
	mask  uint32
}

// newFoldIndex indexes names. When two names fold alike, the first wins.
func newFoldIndex(names []string) foldIndex {
	size := 8
	for size < 2*len(names) {
		size *= 2
	}
	x := foldIndex{names: names, slots: make([]int32, size), mask: uint32(size - 1)}
	for i, n := range names {
		if x.lookup(n) >= 0 {
			continue
		}
		h := hashFold(n) & x.mask
		for x.slots[h] != 0 {
			h = (h + 1) & x.mask
		}
		x.slots[h] = int32(i + 1)
	}
	return x
}

// lookup returns the position of name in the indexed list, or -1.
func (x *foldIndex) lookup(name string) int {
	if len(x.slots) == 0 {
		return -1
	}
	h := hashFold(name) & x.mask
	for {
		s := x.slots[h]
		if s == 0 {
			return -1
		}
		if n := x.names[s-1]; n == name || equalFoldASCII(n, name) {
			return int(s - 1)
		}
		h = (h + 1) & x.mask
	}
}
