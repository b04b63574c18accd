package policy

// match reports whether s matches pattern, in which * stands for any run of
// characters and ? for any one character (the wildcards of Action and
// Resource). Both are compared byte for byte; callers fold case first where
// IAM ignores it. It runs in O(len(pattern)·len(s)) at worst.
func match(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
