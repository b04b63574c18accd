package iamapi

import (
	"context"

	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// xmlSSHKey is the model's SSHPublicKey (with Fingerprint and body) and
// SSHPublicKeyMetadata (without).
type xmlSSHKey struct {
	UserName         string
	SSHPublicKeyId   string
	Fingerprint      string `xml:",omitempty"`
	SSHPublicKeyBody string `xml:",omitempty"`
	Status           string
	UploadDate       string
}

func sshKeyXML(c iam.Credential, full bool) xmlSSHKey {
	out := xmlSSHKey{UserName: c.Owner.Name, SSHPublicKeyId: c.ID, Status: string(c.Status), UploadDate: server.ISODate(c.Created)}
	if full {
		out.Fingerprint, out.SSHPublicKeyBody = c.Fingerprint, c.Body
	}
	return out
}

type sshKeyResult struct{ SSHPublicKey xmlSSHKey }

type sshKeysResult struct {
	SSHPublicKeys members[xmlSSHKey]
	IsTruncated   bool
	Marker        string `xml:",omitempty"`
}

func sshKeyOps() []operation {
	user := entityResource(iam.KindUser, "UserName")
	return []operation{
		{"UploadSSHPublicKey", (*api).uploadSSHPublicKey, user},
		{"GetSSHPublicKey", (*api).getSSHPublicKey, user},
		{"ListSSHPublicKeys", (*api).listSSHPublicKeys, user},
		{"UpdateSSHPublicKey", (*api).updateSSHPublicKey, user},
		{"DeleteSSHPublicKey", (*api).deleteSSHPublicKey, user},
	}
}

func (a *api) uploadSSHPublicKey(ctx context.Context, c *server.Call) (any, error) {
	user, body := c.Form.String("UserName"), c.Form.String("SSHPublicKeyBody")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	k, err := a.iam.UploadSSHPublicKey(ctx, c.Caller.Account, user, body)
	if err != nil {
		return nil, err
	}
	return sshKeyResult{sshKeyXML(k, true)}, nil
}

func (a *api) getSSHPublicKey(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	user, id, enc := f.String("UserName"), f.String("SSHPublicKeyId"), f.String("Encoding")
	if err := f.Err(); err != nil {
		return nil, err
	}
	k, err := a.iam.GetSSHPublicKey(ctx, c.Caller.Account, user, id, iam.SSHEncoding(enc))
	if err != nil {
		return nil, err
	}
	return sshKeyResult{sshKeyXML(k, true)}, nil
}

func (a *api) listSSHPublicKeys(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	out := sshKeysResult{SSHPublicKeys: list([]xmlSSHKey{})}
	if owner.Kind != iam.KindUser {
		return out, nil // the root has no SSH keys
	}
	p, err := a.iam.ListSSHPublicKeys(ctx, c.Caller.Account, owner.Name, in)
	if err != nil {
		return nil, err
	}
	for _, k := range p.Items {
		out.SSHPublicKeys.Member = append(out.SSHPublicKeys.Member, sshKeyXML(k, false))
	}
	out.IsTruncated, out.Marker = p.IsTruncated, p.Marker
	return out, nil
}

func (a *api) updateSSHPublicKey(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	user, id, status := f.String("UserName"), f.String("SSHPublicKeyId"), f.String("Status")
	if err := f.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UpdateSSHPublicKey(ctx, c.Caller.Account, user, id, iam.KeyStatus(status))
}

func (a *api) deleteSSHPublicKey(ctx context.Context, c *server.Call) (any, error) {
	user, id := c.Form.String("UserName"), c.Form.String("SSHPublicKeyId")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteSSHPublicKey(ctx, c.Caller.Account, user, id)
}
