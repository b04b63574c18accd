package iamapi

import (
	"encoding/xml"
	"testing"
)

func TestUserResultXML(t *testing.T) {
	tests := []struct {
		name string
		user xmlUser
	}{
		{"root", xmlUser{UserId: "111122223333", Arn: "arn:aws:iam::111122223333:root", CreateDate: "2026-11-26T00:00:00Z"}},
		{"plain", xmlUser{Path: "/", UserName: "alice", UserId: "AIDAEXAMPLE", Arn: "arn:aws:iam::111122223333:user/alice", CreateDate: "2026-11-26T00:00:00Z"}},
		{"everything", xmlUser{Path: "/a&b/", UserName: "x<y>", UserId: "AIDA\"'", Arn: "arn", CreateDate: "d",
			PermissionsBoundary: &xmlBoundary{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: "arn:aws:iam::aws:policy/X"},
			Tags:                &members[xmlTag]{Member: []xmlTag{{"k&", "v\t\n\r"}, {"k2", ""}}}}},
		{"no tags", xmlUser{Path: "/", UserName: "bob", UserId: "AIDAEXAMPLE", Arn: "arn", CreateDate: "d", Tags: nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := xml.Marshal(userResult{tt.user})
			if err != nil {
				t.Fatal(err)
			}
			// encoding/xml names the outer element after the type; the
			// endpoint names it <GetUserResult>: compare what is inside.
			inner := string(want[len("<userResult>") : len(want)-len("</userResult>")])
			if got := string(userResult{tt.user}.AppendXML(nil)); got != inner {
				t.Errorf("AppendXML(%s) =\n%s\nwant\n%s", tt.name, got, inner)
			}
		})
	}
}
