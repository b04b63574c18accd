package iamapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/iamq/iamq/arn"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/server"
)

// codeInvalidAuthCode is EnableMFADevice's and ResyncMFADevice's refusal of
// the codes (IAM API Reference: InvalidAuthenticationCode, HTTP 403).
const codeInvalidAuthCode server.Code = "InvalidAuthenticationCode"

// xmlVirtualMFADevice is the model's VirtualMFADevice. Base32StringSeed and
// QRCodePNG are blobs: base64 in the XML (the seed's Base32 text, the PNG's
// bytes), and only CreateVirtualMFADevice answers them.
type xmlVirtualMFADevice struct {
	SerialNumber     string
	Base32StringSeed string           `xml:",omitempty"`
	QRCodePNG        string           `xml:",omitempty"`
	User             *xmlUser         `xml:",omitempty"`
	EnableDate       string           `xml:",omitempty"`
	Tags             *members[xmlTag] `xml:",omitempty"`
}

type virtualMFAResult struct{ VirtualMFADevice xmlVirtualMFADevice }

type virtualMFAsResult struct {
	VirtualMFADevices members[xmlVirtualMFADevice]
	IsTruncated       bool
	Marker            string `xml:",omitempty"`
}

// xmlMFADevice is the model's MFADevice.
type xmlMFADevice struct {
	UserName     string
	SerialNumber string
	EnableDate   string
}

type mfaDevicesResult struct {
	MFADevices  members[xmlMFADevice]
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

type mfaDeviceResult struct {
	UserName     string `xml:",omitempty"`
	SerialNumber string
	EnableDate   string `xml:",omitempty"`
}

func mfaOps() []operation {
	user := entityResource(iam.KindUser, "UserName")
	device := mfaResource("SerialNumber")
	return []operation{
		{"CreateVirtualMFADevice", (*api).createVirtualMFADevice, newMFAResource},
		{"EnableMFADevice", (*api).enableMFADevice, user},
		{"ResyncMFADevice", (*api).resyncMFADevice, user},
		{"DeactivateMFADevice", (*api).deactivateMFADevice, user},
		{"DeleteVirtualMFADevice", (*api).deleteVirtualMFADevice, device},
		{"GetMFADevice", (*api).getMFADevice, user},
		{"ListMFADevices", (*api).listMFADevices, user},
		{"ListVirtualMFADevices", (*api).listVirtualMFADevices, anyResource},
		{"TagMFADevice", (*api).tagMFADevice, device},
		{"UntagMFADevice", (*api).untagMFADevice, device},
		{"ListMFADeviceTags", (*api).listMFADeviceTags, device},
	}
}

// newMFAResource is the ARN a new device will have.
func newMFAResource(_ context.Context, _ *api, c *server.Call) string {
	return arn.IAMString(c.Caller.Account, arn.TypeMFA, c.Form.Get("Path"), c.Form.Get("VirtualMFADeviceName"))
}

// mfaResource is the stored ARN of the device param names (the serial
// number as given when there is none).
func mfaResource(param string) resourceFunc {
	return func(ctx context.Context, a *api, c *server.Call) string {
		serial := c.Form.Get(param)
		if stored, ok := a.iam.MFADeviceARN(ctx, c.Caller.Account, serial); ok {
			return stored
		}
		return serial
	}
}

// accountLabel is how the QR code names the account: its alias, else its id.
func (a *api) accountLabel(ctx context.Context, account string) string {
	if p, err := a.iam.ListAccountAliases(ctx, account, iam.ListInput{}); err == nil && len(p.Items) > 0 {
		return p.Items[0]
	}
	return account
}

func (a *api) createVirtualMFADevice(ctx context.Context, c *server.Call) (any, error) {
	f := c.Form
	name, path, tags := f.String("VirtualMFADeviceName"), f.Get("Path"), server.Tags[iam.Tag](f, "Tags")
	if err := f.Err(); err != nil {
		return nil, err
	}
	d, err := a.iam.CreateVirtualMFADevice(ctx, c.Caller.Account, name, path, a.accountLabel(ctx, c.Caller.Account), tags)
	if err != nil {
		return nil, err
	}
	enc := base64.StdEncoding
	return virtualMFAResult{xmlVirtualMFADevice{SerialNumber: d.Device.SerialNumber,
		Base32StringSeed: enc.EncodeToString([]byte(d.Base32StringSeed)), QRCodePNG: enc.EncodeToString(d.QRCodePNG),
		Tags: tagMembers(d.Device.Tags)}}, nil
}

// mfaCall reads an owner (UserName or the caller), SerialNumber and, when
// codes, the two authentication codes.
func mfaCall(c *server.Call, codes bool) (owner iam.EntityRef, serial, code1, code2 string, err error) {
	serial = c.Form.String("SerialNumber")
	if codes {
		code1, code2 = c.Form.String("AuthenticationCode1"), c.Form.String("AuthenticationCode2")
	}
	if err = c.Form.Err(); err != nil {
		return
	}
	owner, err = keyOwner(c)
	return
}

func (a *api) enableMFADevice(ctx context.Context, c *server.Call) (any, error) {
	owner, serial, code1, code2, err := mfaCall(c, true)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.EnableMFADevice(ctx, c.Caller.Account, owner, serial, code1, code2)
}

func (a *api) resyncMFADevice(ctx context.Context, c *server.Call) (any, error) {
	owner, serial, code1, code2, err := mfaCall(c, true)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.ResyncMFADevice(ctx, c.Caller.Account, owner, serial, code1, code2)
}

func (a *api) deactivateMFADevice(ctx context.Context, c *server.Call) (any, error) {
	owner, serial, _, _, err := mfaCall(c, false)
	if err != nil {
		return nil, err
	}
	return nil, a.iam.DeactivateMFADevice(ctx, c.Caller.Account, owner, serial)
}

func (a *api) deleteVirtualMFADevice(ctx context.Context, c *server.Call) (any, error) {
	serial := c.Form.String("SerialNumber")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.DeleteVirtualMFADevice(ctx, c.Caller.Account, serial)
}

// getMFADevice answers a device the caller (or UserName) holds.
func (a *api) getMFADevice(ctx context.Context, c *server.Call) (any, error) {
	owner, serial, _, _, err := mfaCall(c, false)
	if err != nil {
		return nil, err
	}
	d, err := a.iam.GetMFADevice(ctx, c.Caller.Account, serial)
	if err != nil {
		return nil, err
	}
	if d.Owner.Kind != owner.Kind || owner.Kind == iam.KindUser && !strings.EqualFold(d.Owner.Name, owner.Name) {
		// The device is not this user's: as if it did not exist.
		return nil, &server.APIError{Code: codeNoSuchEntity, Status: http.StatusNotFound, Fault: server.Sender,
			Message: "MFA Device with serial number " + serial + " does not exist."}
	}
	return mfaDeviceResult{UserName: d.Owner.Name, SerialNumber: d.SerialNumber, EnableDate: server.ISODate(d.Enabled)}, nil
}

func (a *api) listMFADevices(ctx context.Context, c *server.Call) (any, error) {
	in := listInput(c.Form)
	owner, err := formOwner(c)
	if err != nil {
		return nil, err
	}
	p, err := a.iam.ListMFADevices(ctx, c.Caller.Account, owner, in)
	if err != nil {
		return nil, err
	}
	out := mfaDevicesResult{MFADevices: list(make([]xmlMFADevice, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, d := range p.Items {
		out.MFADevices.Member = append(out.MFADevices.Member, xmlMFADevice{UserName: d.Owner.Name, SerialNumber: d.SerialNumber,
			EnableDate: server.ISODate(d.Enabled)})
	}
	return out, nil
}

func (a *api) listVirtualMFADevices(ctx context.Context, c *server.Call) (any, error) {
	status, in := c.Form.Get("AssignmentStatus"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListVirtualMFADevices(ctx, c.Caller.Account, iam.AssignmentStatus(status), in)
	if err != nil {
		return nil, err
	}
	out := virtualMFAsResult{VirtualMFADevices: list(make([]xmlVirtualMFADevice, 0, len(p.Items))), IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, d := range p.Items {
		x := xmlVirtualMFADevice{SerialNumber: d.Device.SerialNumber}
		switch {
		case d.User != nil:
			u := userXML(c.Caller.Account, *d.User, true)
			x.User = &u
		case d.Device.Owner.Kind == iam.KindAccount:
			x.User = &xmlUser{UserId: c.Caller.Account, Arn: arn.Root(c.Caller.Account).String(), CreateDate: server.ISODate(d.Device.Enabled)}
		}
		if !d.Device.Enabled.IsZero() {
			x.EnableDate = server.ISODate(d.Device.Enabled)
		}
		out.VirtualMFADevices.Member = append(out.VirtualMFADevices.Member, x)
	}
	return out, nil
}

func (a *api) tagMFADevice(ctx context.Context, c *server.Call) (any, error) {
	serial, tags := c.Form.String("SerialNumber"), server.Tags[iam.Tag](c.Form, "Tags")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.TagMFADevice(ctx, c.Caller.Account, serial, tags)
}

func (a *api) untagMFADevice(ctx context.Context, c *server.Call) (any, error) {
	serial, keys := c.Form.String("SerialNumber"), c.Form.List("TagKeys")
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	return nil, a.iam.UntagMFADevice(ctx, c.Caller.Account, serial, keys)
}

func (a *api) listMFADeviceTags(ctx context.Context, c *server.Call) (any, error) {
	serial, in := c.Form.String("SerialNumber"), listInput(c.Form)
	if err := c.Form.Err(); err != nil {
		return nil, err
	}
	p, err := a.iam.ListMFADeviceTags(ctx, c.Caller.Account, serial, in)
	if err != nil {
		return nil, err
	}
	return tagPage(p), nil
}
