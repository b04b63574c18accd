package iamapi

import (
	"bytes"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/pquerna/otp/totp"
)

// totpCode is the code an authenticator app shows for seed (Base32) at t,
// computed with pquerna/otp as a phone would.
func totpCode(t *testing.T, seed []byte, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(string(seed), at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMFADevicesSDK: virtual MFA devices through the SDK, from creation to
// deletion, with real TOTP codes.
func TestMFADevicesSDK(t *testing.T) {
	f := newEnforceFixture(t)
	ctx := f.ctx
	must(f.c.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("ann")}))
	out := must(f.c.CreateVirtualMFADevice(ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("ann-phone"),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})).VirtualMFADevice
	serial := aws.ToString(out.SerialNumber)
	if serial != "arn:aws:iam::"+idAccount+":mfa/ann-phone" || len(out.Base32StringSeed) != 64 ||
		!bytes.HasPrefix(out.QRCodePNG, []byte("\x89PNG\r\n\x1a\n")) || len(out.Tags) != 1 {
		t.Fatalf("CreateVirtualMFADevice = %s, seed %d bytes, %d tags", serial, len(out.Base32StringSeed), len(out.Tags))
	}
	seed := out.Base32StringSeed
	_, err := f.c.CreateVirtualMFADevice(ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("ann-phone")})
	wantAPIError(t, "CreateVirtualMFADevice(again)", err, "EntityAlreadyExists", "")
	_, err = f.c.CreateVirtualMFADevice(ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bad name")})
	wantAPIError(t, "CreateVirtualMFADevice(bad name)", err, "ValidationError", "")
	un := must(f.c.ListVirtualMFADevices(ctx, &awsiam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeUnassigned}))
	if len(un.VirtualMFADevices) != 1 || un.VirtualMFADevices[0].User != nil || un.VirtualMFADevices[0].Base32StringSeed != nil {
		t.Fatalf("ListVirtualMFADevices(Unassigned) = %+v", un.VirtualMFADevices)
	}

	now := f.now.Now()
	c1, c2 := totpCode(t, seed, now.Add(-30*time.Second)), totpCode(t, seed, now)
	_, err = f.c.EnableMFADevice(ctx, &awsiam.EnableMFADeviceInput{UserName: aws.String("ann"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(c2), AuthenticationCode2: aws.String(c1)})
	wantAPIError(t, "EnableMFADevice(codes swapped)", err, "InvalidAuthenticationCode", "Authentication code for device is not valid.")
	_, err = f.c.EnableMFADevice(ctx, &awsiam.EnableMFADeviceInput{UserName: aws.String("ann"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String("12345"), AuthenticationCode2: aws.String(c2)})
	wantAPIError(t, "EnableMFADevice(5 digits)", err, "ValidationError", "")
	must(f.c.EnableMFADevice(ctx, &awsiam.EnableMFADeviceInput{UserName: aws.String("ann"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}))
	_, err = f.c.EnableMFADevice(ctx, &awsiam.EnableMFADeviceInput{UserName: aws.String("ann"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)})
	wantAPIError(t, "EnableMFADevice(again)", err, "EntityAlreadyExists", "MFA Device is already in use.")

	mine := must(f.c.ListMFADevices(ctx, &awsiam.ListMFADevicesInput{UserName: aws.String("ann")})).MFADevices
	if len(mine) != 1 || aws.ToString(mine[0].SerialNumber) != serial || aws.ToString(mine[0].UserName) != "ann" || mine[0].EnableDate == nil {
		t.Fatalf("ListMFADevices = %+v", mine)
	}
	got := must(f.c.GetMFADevice(ctx, &awsiam.GetMFADeviceInput{UserName: aws.String("ann"), SerialNumber: aws.String(serial)}))
	if aws.ToString(got.UserName) != "ann" || aws.ToString(got.SerialNumber) != serial {
		t.Errorf("GetMFADevice = %+v", got)
	}
	as := must(f.c.ListVirtualMFADevices(ctx, &awsiam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAssigned}))
	if len(as.VirtualMFADevices) != 1 || as.VirtualMFADevices[0].User == nil || aws.ToString(as.VirtualMFADevices[0].User.UserName) != "ann" {
		t.Fatalf("ListVirtualMFADevices(Assigned) = %+v", as.VirtualMFADevices)
	}
	sum := must(f.c.GetAccountSummary(ctx, &awsiam.GetAccountSummaryInput{})).SummaryMap
	if sum["MFADevices"] != 1 || sum["MFADevicesInUse"] != 1 || sum["AccountMFAEnabled"] != 0 {
		t.Errorf("GetAccountSummary = MFADevices %d, InUse %d, AccountMFAEnabled %d", sum["MFADevices"], sum["MFADevicesInUse"], sum["AccountMFAEnabled"])
	}
	_, err = f.c.DeleteVirtualMFADevice(ctx, &awsiam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	wantAPIError(t, "DeleteVirtualMFADevice(assigned)", err, "DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.")
	_, err = f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("ann")})
	wantAPIError(t, "DeleteUser(with an MFA device)", err, "DeleteConflict", "Cannot delete entity, must delete MFA device first.")

	// Resync with two codes of a later pair of steps.
	f.now.Add(5 * time.Minute)
	later := f.now.Now()
	must(f.c.ResyncMFADevice(ctx, &awsiam.ResyncMFADeviceInput{UserName: aws.String("ann"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(totpCode(t, seed, later)), AuthenticationCode2: aws.String(totpCode(t, seed, later.Add(30*time.Second)))}))

	must(f.c.TagMFADevice(ctx, &awsiam.TagMFADeviceInput{SerialNumber: aws.String(serial), Tags: []iamtypes.Tag{{Key: aws.String("x"), Value: aws.String("y")}}}))
	must(f.c.UntagMFADevice(ctx, &awsiam.UntagMFADeviceInput{SerialNumber: aws.String(serial), TagKeys: []string{"team"}}))
	tags := must(f.c.ListMFADeviceTags(ctx, &awsiam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)})).Tags
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "x" {
		t.Errorf("ListMFADeviceTags = %+v", tags)
	}

	_, err = f.c.DeactivateMFADevice(ctx, &awsiam.DeactivateMFADeviceInput{UserName: aws.String("bob"), SerialNumber: aws.String(serial)})
	wantAPIError(t, "DeactivateMFADevice(not bob's)", err, "NoSuchEntity", "")
	must(f.c.DeactivateMFADevice(ctx, &awsiam.DeactivateMFADeviceInput{UserName: aws.String("ann"), SerialNumber: aws.String(serial)}))
	if l := must(f.c.ListMFADevices(ctx, &awsiam.ListMFADevicesInput{UserName: aws.String("ann")})); len(l.MFADevices) != 0 {
		t.Errorf("ListMFADevices after DeactivateMFADevice = %+v", l.MFADevices)
	}
	must(f.c.DeleteVirtualMFADevice(ctx, &awsiam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}))
	_, err = f.c.DeleteVirtualMFADevice(ctx, &awsiam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	wantAPIError(t, "DeleteVirtualMFADevice(again)", err, "NoSuchEntity", "VirtualMFADevice with serial number "+serial+" doesn't exist.")
	must(f.c.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("ann")}))
}

// TestMFADeviceAuthorization: device operations are authorized on the
// device's stored ARN, user operations on the user's.
func TestMFADeviceAuthorization(t *testing.T) {
	f := newEnforceFixture(t)
	bob, _ := f.user("bob")
	f.putUserPolicy("bob", "p", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateVirtualMFADevice","iam:DeleteVirtualMFADevice"],"Resource":"arn:aws:iam::*:mfa/${aws:username}"}]}`)
	must(bob.CreateVirtualMFADevice(f.ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bob")}))
	_, err := bob.CreateVirtualMFADevice(f.ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")})
	wantDenied(t, "CreateVirtualMFADevice(alice) as bob", err, "")
	must(f.c.CreateVirtualMFADevice(f.ctx, &awsiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")}))
	_, err = bob.DeleteVirtualMFADevice(f.ctx, &awsiam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String("arn:aws:iam::" + idAccount + ":mfa/alice")})
	wantDenied(t, "DeleteVirtualMFADevice(alice) as bob", err, "")
	must(bob.DeleteVirtualMFADevice(f.ctx, &awsiam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String("arn:aws:iam::" + idAccount + ":mfa/bob")}))
	_, err = bob.ListMFADevices(f.ctx, &awsiam.ListMFADevicesInput{})
	wantDenied(t, "ListMFADevices as bob", err, "")
}
