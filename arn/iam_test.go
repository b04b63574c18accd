package arn

import "testing"

func TestBuilders(t *testing.T) {
	const acct = "123456789012"
	tests := []struct {
		name string
		got  ARN
		want string
	}{
		{"root", Root(acct), "arn:aws:iam::123456789012:root"},
		{"user", User(acct, "/", "Bob"), "arn:aws:iam::123456789012:user/Bob"},
		{"user empty path", User(acct, "", "Bob"), "arn:aws:iam::123456789012:user/Bob"},
		{"user with path", User(acct, "/division_abc/subdivision_xyz/", "Bob"), "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob"},
		{"group", Group(acct, "/", "Developers"), "arn:aws:iam::123456789012:group/Developers"},
		{"role", Role(acct, "/aws-service-role/mq.amazonaws.com/", "AWSServiceRoleForAmazonMQ"), "arn:aws:iam::123456789012:role/aws-service-role/mq.amazonaws.com/AWSServiceRoleForAmazonMQ"},
		{"instance profile", InstanceProfile(acct, "/", "Webserver"), "arn:aws:iam::123456789012:instance-profile/Webserver"},
		{"policy", Policy(acct, "/p/", "Mine"), "arn:aws:iam::123456789012:policy/p/Mine"},
		{"aws managed policy", AWSManagedPolicy("/aws-service-role/", "AmazonMQServiceRolePolicy"), "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy"},
		{"aws managed policy root path", AWSManagedPolicy("", "ReadOnlyAccess"), "arn:aws:iam::aws:policy/ReadOnlyAccess"},
		{"assumed role", AssumedRole(acct, "Accounting-Role", "JaneDoe"), "arn:aws:sts::123456789012:assumed-role/Accounting-Role/JaneDoe"},
		{"federated user", FederatedUser(acct, "JohnDoe"), "arn:aws:sts::123456789012:federated-user/JohnDoe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.got.String(); s != tt.want {
				t.Errorf("%s = %s, want %s", tt.name, s, tt.want)
			}
			if a, err := Parse(tt.want); err != nil || a != tt.got {
				t.Errorf("Parse(%s) = %+v, %v, want %+v", tt.want, a, err, tt.got)
			}
		})
	}
}

func TestSplitIAMResource(t *testing.T) {
	tests := []struct {
		in   string
		want IAMResource
	}{
		{"root", IAMResource{Type: "root"}},
		{"user/Bob", IAMResource{"user", "/", "Bob"}},
		{"user/division_abc/subdivision_xyz/Bob", IAMResource{"user", "/division_abc/subdivision_xyz/", "Bob"}},
		{"policy/aws-service-role/AmazonMQServiceRolePolicy", IAMResource{"policy", "/aws-service-role/", "AmazonMQServiceRolePolicy"}},
		{"role/", IAMResource{"role", "/", ""}},
		{"assumed-role/R/S", IAMResource{"assumed-role", "/R/", "S"}},
		{"", IAMResource{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := SplitIAMResource(tt.in); got != tt.want {
				t.Errorf("SplitIAMResource(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestIAM(t *testing.T) {
	if r, ok := User("1", "/a/", "b").IAM(); !ok || r != (IAMResource{"user", "/a/", "b"}) {
		t.Errorf("User.IAM() = %+v, %v", r, ok)
	}
	if r, ok := AssumedRole("1", "R", "S").IAM(); !ok || r.Type != TypeAssumedRole {
		t.Errorf("AssumedRole.IAM() = %+v, %v", r, ok)
	}
	if _, ok := (ARN{Service: "mq", Resource: "broker:b:b-1"}).IAM(); ok {
		t.Errorf("mq ARN.IAM() ok, want not ok")
	}
}

func TestRoleSession(t *testing.T) {
	tests := []struct {
		in            string
		role, session string
		ok            bool
	}{
		{"assumed-role/R/S", "R", "S", true},
		{"assumed-role/R/", "R", "", false},
		{"assumed-role/S", "", "S", false},
		{"assumed-role/a/b/S", "a/b", "S", false},
		{"role/R/S", "R", "S", false},
	}
	for _, tt := range tests {
		role, session, ok := SplitIAMResource(tt.in).RoleSession()
		if role != tt.role || session != tt.session || ok != tt.ok {
			t.Errorf("RoleSession(%s) = %q, %q, %v, want %q, %q, %v", tt.in, role, session, ok, tt.role, tt.session, tt.ok)
		}
	}
}

func TestFriendlyName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"arn:aws:iam::123456789012:user/division_abc/Bob", "Bob"},
		{"arn:aws:iam::123456789012:user/Bob", "Bob"},
		{"arn:aws:iam::123456789012:root", ""},
		{"arn:aws:iam::123456789012:user/", ""},
	}
	for _, tt := range tests {
		if got := FriendlyName(tt.in); got != tt.want {
			t.Errorf("FriendlyName(%s) = %q, want %q", tt.in, got, tt.want)
		}
		if a, err := Parse(tt.in); err == nil && SplitIAMResource(a.Resource).Name != tt.want {
			t.Errorf("FriendlyName(%s) = %q disagrees with SplitIAMResource", tt.in, tt.want)
		}
	}
}

func TestIAMString(t *testing.T) {
	const acct = "123456789012"
	tests := []struct {
		typ, path, name string
		want            ARN
	}{
		{TypeUser, "/division_abc/", "Bob", User(acct, "/division_abc/", "Bob")},
		{TypeUser, "", "Bob", User(acct, "", "Bob")},
		{TypeGroup, "/", "Developers", Group(acct, "/", "Developers")},
		{TypeRole, "/aws-service-role/mq.amazonaws.com/", "R", Role(acct, "/aws-service-role/mq.amazonaws.com/", "R")},
		{TypeInstanceProfile, "/", "Webserver", InstanceProfile(acct, "/", "Webserver")},
		{TypePolicy, "/p/", "Mine", Policy(acct, "/p/", "Mine")},
		// The resource of a List operation: everything under a path prefix.
		{TypeUser, "/division_abc/", "", ARN{Partition: PartitionAWS, Service: ServiceIAM, Account: acct, Resource: "user/division_abc/"}},
		{TypeRole, "", "", ARN{Partition: PartitionAWS, Service: ServiceIAM, Account: acct, Resource: "role/"}},
	}
	for _, tt := range tests {
		if got := IAMString(acct, tt.typ, tt.path, tt.name); got != tt.want.String() {
			t.Errorf("IAMString(%s, %s, %q, %s) = %s, want %s", acct, tt.typ, tt.path, tt.name, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = IAMString(acct, TypeUser, "/division_abc/", "Bob") }); n != 1 {
		t.Errorf("IAMString allocates %v times, want 1", n)
	}
}

func TestIsAWSManaged(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"arn:aws:iam::aws:policy/ReadOnlyAccess", true},
		{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", true},
		{"arn:aws:iam::aws:", true},
		{"arn:aws:iam::123456789012:policy/ReadOnlyAccess", false},
		{"arn:aws-cn:iam::aws:policy/ReadOnlyAccess", false},
		{"arn:aws:sts::aws:policy/ReadOnlyAccess", false},
		{"arn:aws:iam:us-east-1:aws:policy/ReadOnlyAccess", false},
		{"arn:aws:iam::aws", false},
		{"ReadOnlyAccess", false},
	}
	for _, tt := range tests {
		if got := IsAWSManaged(tt.in); got != tt.want {
			t.Errorf("IsAWSManaged(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = IsAWSManaged("arn:aws:iam::aws:policy/ReadOnlyAccess") }); n != 0 {
		t.Errorf("IsAWSManaged allocates %v times, want 0", n)
	}
}
