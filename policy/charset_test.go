package policy

import "testing"

// TestCharSets checks the bit-mask byte sets against plain comparisons.
func TestCharSets(t *testing.T) {
	for i := 0; i < 256; i++ {
		c := byte(i)
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		vendor := alnum || c == '-' || c == '.'
		name := vendor || c == '*' || c == '?' || c == '_'
		if got := isAlnum(c); got != alnum {
			t.Errorf("isAlnum(%q) = %v, want %v", c, got, alnum)
		}
		if got := validVendor(string(c)); got != vendor {
			t.Errorf("validVendor(%q) = %v, want %v", c, got, vendor)
		}
		if got := validActionName(string(c)); got != name {
			t.Errorf("validActionName(%q) = %v, want %v", c, got, name)
		}
	}
}
