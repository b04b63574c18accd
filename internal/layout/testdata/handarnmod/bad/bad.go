package bad

import s "strings" // an import by another name is still package strings

// Root builds arn:aws:iam::ACCOUNT:root by hand; this comment is no
// literal, so only the code below is found.
func Root(account string) string {
	// arn:aws:iam:: in a comment does not count.
	return "arn:aws:iam::" + account + ":root"
}

func Account(rest, arn, account string) (string, bool) {
	a, _, ok := s.Cut(rest, ":")
	_, ok2 := s.CutPrefix(arn, "arn:aws:iam::"+account)
	return a, ok && ok2
}

func Parts(arn string) []string { return s.SplitN(arn, ":", 6) }

func Path(p string) []string { return s.Split(p, "/") } // not ":": let be

var usage = `multi
line arn: text`
