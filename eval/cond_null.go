package eval

// null is the Null operator: "true" matches when the key is absent (or has no
// values), "false" when it is present; several values are OR'ed. IAM User
// Guide: "IAM JSON policy elements: Condition operators", section "Condition
// operator to check existence of condition keys".
func (c *cond) null(present bool) bool {
	for i := range c.vals {
		if c.vals[i].b != present {
			return true
		}
	}
	return false
}
