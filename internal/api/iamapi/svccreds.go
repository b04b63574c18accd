package iamapi

import (
	"context"
	"strconv"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/eval"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlServiceCred is the model's ServiceSpecificCredential (with the secret,
// on create and reset) and ServiceSpecificCredentialMetadata (without).
type xmlServiceCred struct {
	CreateDate                  string
	ExpirationDate              string `xml:",omitempty"`
	ServiceName                 string
	ServiceUserName             string `xml:",omitempty"`
	ServicePassword             string `xml:",omitempty"`
	ServiceCredentialAlias      string `xml:",omitempty"`
	ServiceCredentialSecret     string `xml:",omitempty"`
	ServiceSpecificCredentialId string
	UserName                    string
	Status                      string
}

func serviceCredXML(c iam.ServiceCredential) xmlServiceCred {
	out := xmlServiceCred{CreateDate: server.ISODate(c.Created), ServiceName: c.Service, ServiceSpecificCredentialId: c.ID,
		UserName: c.Owner.Name, Status: string(c.Status)}
	if !c.Expires.IsZero() {
		out.ExpirationDate = server.ISODate(c.Expires)
	}
	if c.Style == iam.StyleAPIKey {
		out.ServiceCredentialAlias, out.ServiceCredentialSecret = c.ServiceUser, c.Secret
	} else {
		out.ServiceUserName, out.ServicePassword = c.ServiceUser, c.Secret
	}
	return out
}

type serviceCredResult struct{ ServiceSpecificCredential xmlServiceCred }

type serviceCredsResult struct {
	ServiceSpecificCredentials members[xmlServiceCred]
	IsTruncated                bool
	Marker                     string `xml:",omitempty"`
}

func svcCredOps() []operation {
	user := entityResource(iam.KindUser, "UserName")
	return []operation{
		{"CreateServiceSpecificCredential", (*api).createServiceCred, user},
		{"ListServiceSpecificCredentials", (*api).listServiceCreds, allUsersOr(user)},
		{"UpdateServiceSpecificCredential", (*api).updateServiceCred, user},
		{"ResetServiceSpecificCredential", (*api).resetServiceCred, user},
		{"DeleteServiceSpecificCredential", (*api).deleteServiceCred, user},
	}
}

func (a *api) createServiceCred(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	user, service := f.String("UserName"), f.String("ServiceName")
	days, _ := f.Int("CredentialAgeDays")
	if err := f.Err(); err != nil {
		return nil, err
	}
	cred, err := a.iam.CreateServiceSpecificCredential(ctx, c.Caller.Account, user, service, days)
	if err != nil {
		return nil, err
	}
	return serviceCredResult{serviceCredXML(cred)}, nil
}

// allUsersOr is ListServiceSpecificCredentials' resource: with AllUsers,
// every user of the account (arn:aws:iam::ACCOUNT:user/*, which only a
// policy on every user matches), so that a caller allowed on its own user
// does not list everyone's; else the user it names, or the caller.
func allUsersOr(one resourceFunc) resourceFunc {
	return func(ctx context.Context, a *api, c *server.Call) string {
		if all, _ := c.Form.Bool("AllUsers"); all {
			return arn.IAMString(c.Caller.Account, arn.TypeUser, "/", "*")
		}
		return one(ctx, a, c)
	}
}

// credUser is the user a service-specific credential call acts on:
// UserName, or the calling user; "" for the root, which has none.
func credUser(c *server.Call) (string, error) {
	owner, err := keyOwner(c)
	if err != nil || owner.Kind != iam.KindUser {
		return "", err
	}
	return owner.Name, nil
}

func (a *api) listServiceCreds(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	in, service := listInput(f), f.Get("ServiceName")
	all, _ := f.Bool("AllUsers")
	if err := f.Err(); err != nil {
		return nil, err
	}
	user := f.Get("UserName")
	if !all {
		var err error
		if user, err = credUser(c); err != nil {
			return nil, err
		}
	}
	out := serviceCredsResult{ServiceSpecificCredentials: list([]xmlServiceCred{})}
	if user == "" && !all {
		return out, nil // the root has no service-specific credentials
	}
	p, err := a.iam.ListServiceSpecificCredentials(ctx, c.Caller.Account, user, service, all, in)
	if err != nil {
		return nil, err
	}
	for _, cred := range p.Items {
		cred.Secret = ""
		out.ServiceSpecificCredentials.Member = append(out.ServiceSpecificCredentials.Member, serviceCredXML(cred))
	}
	out.IsTruncated, out.Marker = p.IsTruncated, p.Marker
	return out, nil
}

func (a *api) updateServiceCred(ctx context.Context, c *server.Call) (any, error) {
	id, status := c.Form.String("ServiceSpecificCredentialId"), c.Form.String("Status")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	user, err := credUser(c)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateServiceSpecificCredential(ctx, c.Caller.Account, user, id, iam.KeyStatus(status))
}

func (a *api) resetServiceCred(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("ServiceSpecificCredentialId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	user, err := credUser(c)
	if err != nil {
		return nil, err
	}
	cred, err := a.iam.ResetServiceSpecificCredential(ctx, c.Caller.Account, user, id)
	if err != nil {
		return nil, err
	}
	return serviceCredResult{serviceCredXML(cred)}, nil
}

func (a *api) deleteServiceCred(ctx context.Context, c *server.Call) (any, error) {
	id := c.Form.String("ServiceSpecificCredentialId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	user, err := credUser(c)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteServiceSpecificCredential(ctx, c.Caller.Account, user, id)
}

// serviceCredKeys are the condition keys of the service-specific credential
// operations (Service Authorization Reference): the service the credential
// is for, iam:ServiceSpecificCredentialServiceName (the request's on Create,
// the stored credential's on Update, Reset and Delete), and the requested
// age, iam:ServiceSpecificCredentialAgeDays. nil for other operations.
func (a *api) serviceCredKeys(ctx context.Context, c *server.Call) func(*eval.Context) {
	if c.Form == nil || !strings.HasSuffix(c.Action, "ServiceSpecificCredential") {
		return nil
	}
	service := c.Form.Get("ServiceName")
	if c.Action != "CreateServiceSpecificCredential" {
		service, _ = a.iam.ServiceCredentialService(ctx, c.Caller.Account, c.Form.Get("ServiceSpecificCredentialId"))
	}
	days := c.Form.Get("CredentialAgeDays")
	if service == "" && days == "" {
		return nil
	}
	return func(ec *eval.Context) {
		if service != "" {
			ec.Add("iam:ServiceSpecificCredentialServiceName", eval.String(service))
		}
		if n, err := strconv.Atoi(days); err == nil {
			ec.Add("iam:ServiceSpecificCredentialAgeDays", eval.Number(float64(n)))
		}
	}
}

// bothKeys applies two condition-key functions, either of which may be nil.
func bothKeys(x, y func(*eval.Context)) func(*eval.Context) {
	switch {
	case x == nil:
		return y
	case y == nil:
		return x
	}
	return func(ec *eval.Context) { x(ec); y(ec) }
}
