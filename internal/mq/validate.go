package mq

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// This file checks input as Amazon MQ documents it: the service model's
// member documentation (botocore mq 2017-11-27) and the Developer Guide.
// Each refusal is a BadRequestException naming the wire attribute.

// Limits of the input.
const (
	MaxBrokerName     = 50 // brokerName: 1-50 characters (the model)
	MinUsername       = 2  // username: 2-100 characters (the model's User)
	MaxUsername       = 100
	MinPassword       = 12 // password: at least 12 characters, 4 unique (the model's User)
	MaxPassword       = 250
	MaxUsersOnCreate  = 250 // users per ActiveMQ broker (Developer Guide, "Quotas in Amazon MQ")
	MaxGroups         = 20
	MaxGroupName      = 100
	MaxTags           = 50
	MaxTagKey         = 128
	MaxTagValue       = 256
	MaxSecurityGroups = 125 // securityGroups: 1-125 rules (the model)
	MaxSubnets        = 3
	MaxConfigName     = 150 // configuration name: 1-150 characters (the model)
	MaxDescription    = 256
)

// nameChars reports whether s holds only letters, digits, dashes and
// underscores (broker and configuration names), or those plus extra.
func nameChars(s, extra string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || strings.ContainsRune(extra, r)) {
			return false
		}
	}
	return true
}

func checkBrokerName(name string) error {
	if name == "" || len(name) > MaxBrokerName || !nameChars(name, "") {
		return badRequest("brokerName", "The broker name must be 1-%d characters long and contain only letters, numbers, dashes and underscores.", MaxBrokerName)
	}
	return nil
}

// normalizeEngine accepts an engine type in any case ("ActiveMQ").
func normalizeEngine(e EngineType) (EngineType, error) {
	up := EngineType(strings.ToUpper(string(e)))
	if up != ActiveMQ && up != RabbitMQ {
		if e == "" {
			return "", badRequest("engineType", "The engineType attribute is required: ACTIVEMQ or RABBITMQ.")
		}
		return "", badRequest("engineType", "Broker engine type [%s] is not supported: use ACTIVEMQ or RABBITMQ.", clip(string(e)))
	}
	return up, nil
}

// pickVersion checks version for an engine on an instance type; "" picks
// the newest. A patch version ("5.17.6") is accepted where its
// major.minor is offered.
func pickVersion(e EngineType, it instanceType, version string) (string, error) {
	if version == "" {
		return it.engines[e][0], nil
	}
	for _, v := range it.engines[e] {
		if v == version || strings.Count(v, ".") == 1 && strings.HasPrefix(version, v+".") && len(version) <= 16 {
			return version, nil
		}
	}
	return "", badRequest("engineVersion", "Broker engine version [%s] is not supported for engine type %s on host instance type %s.", clip(version), e, it.name)
}

// checkUser checks one user's input; create says whether a password is
// required.
func checkUser(e EngineType, u *UserInput, create bool) error {
	if n := utf8.RuneCountInString(u.Username); n < MinUsername || n > MaxUsername || !nameChars(u.Username, ".~") {
		return badRequest("username", "The username must be %d-%d characters long and contain only letters, numbers, dashes, periods, underscores and tildes.", MinUsername, MaxUsername)
	}
	if create || u.Password != "" {
		if err := checkPassword(u.Password); err != nil {
			return err
		}
	}
	if len(u.Groups) > MaxGroups {
		return badRequest("groups", "A user can belong to at most %d groups.", MaxGroups)
	}
	for _, g := range u.Groups {
		if g == "" || len(g) > MaxGroupName || !nameChars(g, ".~") {
			return badRequest("groups", "Group names must be 2-%d characters long and contain only letters, numbers, dashes, periods, underscores and tildes.", MaxGroupName)
		}
	}
	if isTrue(u.ReplicationUser) && isTrue(u.ConsoleAccess) {
		// The text of Amazon MQ's refusal, as quoted in
		// hashicorp/terraform-provider-aws#32446.
		return badRequest("replicationUser", "Replication user couldn't have console access. [replicationUser] and [consoleAccess] are mutually exclusive parameters.")
	}
	if e == RabbitMQ && (len(u.Groups) > 0 || u.ConsoleAccess != nil) {
		return badRequest("users", "RabbitMQ broker users take no groups and no consoleAccess.")
	}
	return nil
}

// checkPassword applies the model's rule: at least 12 characters, at
// least 4 unique, no commas, colons or equal signs.
func checkPassword(p string) error {
	n := utf8.RuneCountInString(p)
	unique := map[rune]bool{}
	for _, r := range p {
		if len(unique) < 4 {
			unique[r] = true
		}
	}
	if n < MinPassword || n > MaxPassword || len(unique) < 4 || strings.ContainsAny(p, ",:=") {
		return badRequest("password", "The password must be %d-%d characters long, contain at least 4 unique characters, and must not contain commas, colons, or equal signs (,:=).", MinPassword, MaxPassword)
	}
	return nil
}

// checkTags bounds tags: keys 1-128 characters, not starting with "aws:",
// values up to 256, at most 50 per resource.
func checkTags(tags map[string]string, attribute string) error {
	if len(tags) > MaxTags {
		return badRequest(attribute, "A resource can have at most %d tags.", MaxTags)
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > MaxTagKey || strings.HasPrefix(strings.ToLower(k), "aws:") {
			return badRequest(attribute, "Tag keys must be 1-%d characters long and must not start with aws:.", MaxTagKey)
		}
		if utf8.RuneCountInString(v) > MaxTagValue {
			return badRequest(attribute, "Tag values must be at most %d characters long.", MaxTagValue)
		}
	}
	return nil
}

// checkWindow checks a maintenance window: a day of the week and HH:MM.
func checkWindow(w *WeeklyStartTime) error {
	days := []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}
	t := w.TimeOfDay
	ok := len(t) == 5 && t[2] == ':' && t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' && t[3] >= '0' && t[3] <= '5' &&
		t[4] >= '0' && t[4] <= '9' && t[:2] <= "23"
	if !slices.Contains(days, strings.ToUpper(w.DayOfWeek)) || !ok || len(w.TimeZone) > 64 {
		return badRequest("maintenanceWindowStartTime", "The maintenance window needs a dayOfWeek (MONDAY-SUNDAY) and a timeOfDay in 24-hour HH:MM format.")
	}
	w.DayOfWeek = strings.ToUpper(w.DayOfWeek)
	return nil
}

// checkIDs checks ids of a kind ("subnet-", "sg-"): at most max.
func checkIDs(ids []string, prefix, attribute string, maxN int) error {
	if len(ids) > maxN {
		return badRequest(attribute, "At most %d %s may be given.", maxN, attribute)
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, prefix) || len(id) > 64 || !nameChars(id, "") {
			return badRequest(attribute, "[%s] is not a valid id in %s.", clip(id), attribute)
		}
	}
	return nil
}

// checkLDAP checks LDAP server metadata (ActiveMQ only).
func checkLDAP(e EngineType, l *LDAP) error {
	if e != ActiveMQ {
		return badRequest("ldapServerMetadata", "LDAP authentication is supported for ActiveMQ brokers only.")
	}
	if len(l.Hosts) == 0 || len(l.Hosts) > 3 || l.RoleBase == "" || l.RoleSearchMatching == "" || l.UserBase == "" ||
		l.UserSearchMatching == "" || l.ServiceAccountUsername == "" || l.ServiceAccountPassword == "" {
		return badRequest("ldapServerMetadata", "ldapServerMetadata needs 1-3 hosts, roleBase, roleSearchMatching, userBase, userSearchMatching, serviceAccountUsername and serviceAccountPassword.")
	}
	return nil
}

// clip shortens a client's value quoted in a message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

func isTrue(b *bool) bool { return b != nil && *b }
