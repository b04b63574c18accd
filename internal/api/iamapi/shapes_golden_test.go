package iamapi

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iamq/iamq/internal/authz"
	"github.com/iamq/iamq/internal/iam"
	"github.com/iamq/iamq/internal/managed"
	"github.com/iamq/iamq/internal/server"
	"github.com/iamq/iamq/internal/server/servertest"
	"github.com/iamq/iamq/internal/store"
)

var update = flag.Bool("update", false, "rewrite testdata/shapes/*.xml")

// shapeSteps are requests of every IAM operation the policies golden test
// does not cover, whose whole answer (status and XML, element order
// included) is kept under testdata/shapes. Steps run in order; later ones
// see what earlier ones made. The members each answer has follow what AWS
// was recorded returning (LocalStack's aws.validated snapshots, 2025–2026:
// see TestShapesOmit for the rules) and the IAM API Reference's notes on
// the List operations ("does not return … PermissionsBoundary, RoleLastUsed,
// Tags").
var shapeSteps = []struct{ name, form string }{
	{"create-user", "Action=CreateUser&UserName=plain"},
	{"create-user-tagged", "Action=CreateUser&UserName=tagged&Path=/t/&Tags.member.1.Key=team&Tags.member.1.Value=mq"},
	{"get-user", "Action=GetUser&UserName=plain"},
	{"get-user-tagged", "Action=GetUser&UserName=tagged"},
	{"put-user-permissions-boundary", "Action=PutUserPermissionsBoundary&UserName=tagged&PermissionsBoundary=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
	{"get-user-bounded", "Action=GetUser&UserName=tagged"},
	{"list-users", "Action=ListUsers"},
	{"update-user", "Action=UpdateUser&UserName=plain&NewPath=/p/"},
	{"tag-user", "Action=TagUser&UserName=plain&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"list-user-tags", "Action=ListUserTags&UserName=plain"},
	{"untag-user", "Action=UntagUser&UserName=plain&TagKeys.member.1=k"},
	{"delete-user-permissions-boundary", "Action=DeleteUserPermissionsBoundary&UserName=tagged"},
	{"create-group", "Action=CreateGroup&GroupName=devs"},
	{"add-user-to-group", "Action=AddUserToGroup&GroupName=devs&UserName=plain"},
	{"get-group", "Action=GetGroup&GroupName=devs"},
	{"list-groups", "Action=ListGroups"},
	{"list-groups-for-user", "Action=ListGroupsForUser&UserName=plain"},
	{"update-group", "Action=UpdateGroup&GroupName=devs&NewPath=/d/"},
	{"put-group-policy", "Action=PutGroupPolicy&GroupName=devs&PolicyName=g&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"get-group-policy", "Action=GetGroupPolicy&GroupName=devs&PolicyName=g"},
	{"list-group-policies", "Action=ListGroupPolicies&GroupName=devs"},
	{"delete-group-policy", "Action=DeleteGroupPolicy&GroupName=devs&PolicyName=g"},
	{"attach-group-policy", "Action=AttachGroupPolicy&GroupName=devs&PolicyArn=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
	{"list-attached-group-policies", "Action=ListAttachedGroupPolicies&GroupName=devs"},
	{"detach-group-policy", "Action=DetachGroupPolicy&GroupName=devs&PolicyArn=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
	{"remove-user-from-group", "Action=RemoveUserFromGroup&GroupName=devs&UserName=plain"},
	{"create-role", "Action=CreateRole&RoleName=plain&AssumeRolePolicyDocument=" + url.QueryEscape(idTrust)},
	{"create-role-full", "Action=CreateRole&RoleName=full&Path=/f/&Description=all&MaxSessionDuration=7200&PermissionsBoundary=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess" +
		"&Tags.member.1.Key=team&Tags.member.1.Value=mq&AssumeRolePolicyDocument=" + url.QueryEscape(idTrust)},
	{"get-role", "Action=GetRole&RoleName=plain"},
	{"get-role-full", "Action=GetRole&RoleName=full"},
	{"list-roles", "Action=ListRoles"},
	{"update-role", "Action=UpdateRole&RoleName=plain&MaxSessionDuration=3600"},
	{"update-role-description", "Action=UpdateRoleDescription&RoleName=plain&Description=described"},
	{"update-assume-role-policy", "Action=UpdateAssumeRolePolicy&RoleName=plain&PolicyDocument=" + url.QueryEscape(idTrust)},
	{"tag-role", "Action=TagRole&RoleName=plain&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"list-role-tags", "Action=ListRoleTags&RoleName=plain"},
	{"untag-role", "Action=UntagRole&RoleName=plain&TagKeys.member.1=k"},
	{"put-role-permissions-boundary", "Action=PutRolePermissionsBoundary&RoleName=plain&PermissionsBoundary=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
	{"delete-role-permissions-boundary", "Action=DeleteRolePermissionsBoundary&RoleName=plain"},
	{"put-role-policy", "Action=PutRolePolicy&RoleName=plain&PolicyName=r&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"get-role-policy", "Action=GetRolePolicy&RoleName=plain&PolicyName=r"},
	{"list-role-policies", "Action=ListRolePolicies&RoleName=plain"},
	{"delete-role-policy", "Action=DeleteRolePolicy&RoleName=plain&PolicyName=r"},
	{"attach-role-policy", "Action=AttachRolePolicy&RoleName=plain&PolicyArn=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
	{"list-attached-role-policies", "Action=ListAttachedRolePolicies&RoleName=plain"},
	{"detach-role-policy", "Action=DetachRolePolicy&RoleName=plain&PolicyArn=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
	{"create-instance-profile", "Action=CreateInstanceProfile&InstanceProfileName=web"},
	{"create-instance-profile-tagged", "Action=CreateInstanceProfile&InstanceProfileName=tagged&Tags.member.1.Key=team&Tags.member.1.Value=mq"},
	{"add-role-to-instance-profile", "Action=AddRoleToInstanceProfile&InstanceProfileName=web&RoleName=full"},
	{"get-instance-profile", "Action=GetInstanceProfile&InstanceProfileName=web"},
	{"get-instance-profile-tagged", "Action=GetInstanceProfile&InstanceProfileName=tagged"},
	{"list-instance-profiles", "Action=ListInstanceProfiles"},
	{"list-instance-profiles-for-role", "Action=ListInstanceProfilesForRole&RoleName=full"},
	{"tag-instance-profile", "Action=TagInstanceProfile&InstanceProfileName=web&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"list-instance-profile-tags", "Action=ListInstanceProfileTags&InstanceProfileName=web"},
	{"untag-instance-profile", "Action=UntagInstanceProfile&InstanceProfileName=web&TagKeys.member.1=k"},
	{"remove-role-from-instance-profile", "Action=RemoveRoleFromInstanceProfile&InstanceProfileName=web&RoleName=full"},
	{"delete-instance-profile", "Action=DeleteInstanceProfile&InstanceProfileName=tagged"},
	{"create-access-key", "Action=CreateAccessKey&UserName=plain"},
	{"list-access-keys", "Action=ListAccessKeys&UserName=plain"},
	{"update-access-key", "Action=UpdateAccessKey&UserName=plain&AccessKeyId={key}&Status=Inactive"},
	{"get-access-key-last-used", "Action=GetAccessKeyLastUsed&AccessKeyId={key}"},
	{"delete-access-key", "Action=DeleteAccessKey&UserName=plain&AccessKeyId={key}"},
	{"list-mfa-devices", "Action=ListMFADevices&UserName=plain"},
	{"list-ssh-public-keys", "Action=ListSSHPublicKeys&UserName=plain"},
	{"list-service-specific-credentials", "Action=ListServiceSpecificCredentials&UserName=plain"},
	{"list-signing-certificates", "Action=ListSigningCertificates&UserName=plain"},
	{"list-virtual-mfa-devices", "Action=ListVirtualMFADevices"},
	{"get-login-profile", "Action=GetLoginProfile&UserName=plain"},
	{"create-account-alias", "Action=CreateAccountAlias&AccountAlias=golden-shapes"},
	{"list-account-aliases", "Action=ListAccountAliases"},
	{"delete-account-alias", "Action=DeleteAccountAlias&AccountAlias=golden-shapes"},
	{"get-account-summary", "Action=GetAccountSummary"},
	{"get-account-authorization-details", "Action=GetAccountAuthorizationDetails&Filter.member.1=Role"},
	{"create-service-linked-role", "Action=CreateServiceLinkedRole&AWSServiceName=mq.amazonaws.com"},
	{"get-role-service-linked", "Action=GetRole&RoleName=AWSServiceRoleForAmazonMQ"},
	{"delete-service-linked-role", "Action=DeleteServiceLinkedRole&RoleName=AWSServiceRoleForAmazonMQ"},
	{"get-service-linked-role-deletion-status", "Action=GetServiceLinkedRoleDeletionStatus&DeletionTaskId={task}"},
	{"simulate-custom-policy", "Action=SimulateCustomPolicy&ActionNames.member.1=mq:ListBrokers&PolicyInputList.member.1=" + url.QueryEscape(polDocSDK)},
	{"simulate-principal-policy", "Action=SimulatePrincipalPolicy&ActionNames.member.1=mq:ListBrokers&PolicySourceArn=arn:aws:iam::" + idAccount + ":role/f/full"},
	{"get-context-keys-for-custom-policy", "Action=GetContextKeysForCustomPolicy&PolicyInputList.member.1=" + url.QueryEscape(polDocSDK)},
	{"get-context-keys-for-principal-policy", "Action=GetContextKeysForPrincipalPolicy&PolicySourceArn=arn:aws:iam::" + idAccount + ":role/f/full"},
	{"create-policy", "Action=CreatePolicy&PolicyName=Shapes&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"create-policy-version", "Action=CreatePolicyVersion&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"set-default-policy-version", "Action=SetDefaultPolicyVersion&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes&VersionId=v2"},
	{"delete-policy-version", "Action=DeletePolicyVersion&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes&VersionId=v1"},
	{"tag-policy", "Action=TagPolicy&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"list-policy-tags", "Action=ListPolicyTags&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes"},
	{"untag-policy", "Action=UntagPolicy&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes&TagKeys.member.1=k"},
	{"get-policy-untagged", "Action=GetPolicy&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes"},
	{"attach-user-policy", "Action=AttachUserPolicy&UserName=plain&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes"},
	{"detach-user-policy", "Action=DetachUserPolicy&UserName=plain&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes"},
	{"put-user-policy", "Action=PutUserPolicy&UserName=plain&PolicyName=u&PolicyDocument=" + url.QueryEscape(polDocSDK)},
	{"delete-user-policy", "Action=DeleteUserPolicy&UserName=plain&PolicyName=u"},
	{"delete-policy", "Action=DeletePolicy&PolicyArn=arn:aws:iam::" + idAccount + ":policy/Shapes"},
	{"delete-role", "Action=DeleteRole&RoleName=plain"},
	{"delete-group", "Action=DeleteGroup&GroupName=devs"},
	{"delete-user", "Action=DeleteUser&UserName=plain"},
	// STS's operations, whose forms start with "sts:".
	{"sts-get-caller-identity", "sts:Action=GetCallerIdentity"},
	{"sts-get-session-token", "sts:Action=GetSessionToken"},
	{"sts-assume-role-as-root", "sts:Action=AssumeRole&RoleArn=arn:aws:iam::" + idAccount + ":role/f/full&RoleSessionName=s"},
	// The identity providers' operations ({saml} is goldenSAMLMetadata).
	{"create-openid-connect-provider", "Action=CreateOpenIDConnectProvider&Url=https://oidc.example.com&ClientIDList.member.1=sts.amazonaws.com&ThumbprintList.member.1=" + goldenThumbprint},
	{"get-openid-connect-provider", "Action=GetOpenIDConnectProvider&OpenIDConnectProviderArn=" + goldenOIDC},
	{"list-openid-connect-providers", "Action=ListOpenIDConnectProviders"},
	{"add-client-id-to-openid-connect-provider", "Action=AddClientIDToOpenIDConnectProvider&OpenIDConnectProviderArn=" + goldenOIDC + "&ClientID=web"},
	{"remove-client-id-from-openid-connect-provider", "Action=RemoveClientIDFromOpenIDConnectProvider&OpenIDConnectProviderArn=" + goldenOIDC + "&ClientID=web"},
	{"update-openid-connect-provider-thumbprint", "Action=UpdateOpenIDConnectProviderThumbprint&OpenIDConnectProviderArn=" + goldenOIDC + "&ThumbprintList.member.1=" + strings.Repeat("b", 40)},
	{"tag-openid-connect-provider", "Action=TagOpenIDConnectProvider&OpenIDConnectProviderArn=" + goldenOIDC + "&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"list-openid-connect-provider-tags", "Action=ListOpenIDConnectProviderTags&OpenIDConnectProviderArn=" + goldenOIDC},
	{"get-openid-connect-provider-tagged", "Action=GetOpenIDConnectProvider&OpenIDConnectProviderArn=" + goldenOIDC},
	{"untag-openid-connect-provider", "Action=UntagOpenIDConnectProvider&OpenIDConnectProviderArn=" + goldenOIDC + "&TagKeys.member.1=k"},
	{"delete-openid-connect-provider", "Action=DeleteOpenIDConnectProvider&OpenIDConnectProviderArn=" + goldenOIDC},
	{"create-saml-provider", "Action=CreateSAMLProvider&Name=corp&SAMLMetadataDocument={saml}"},
	{"get-saml-provider", "Action=GetSAMLProvider&SAMLProviderArn=" + goldenSAML},
	{"list-saml-providers", "Action=ListSAMLProviders"},
	{"update-saml-provider", "Action=UpdateSAMLProvider&SAMLProviderArn=" + goldenSAML + "&SAMLMetadataDocument={saml}"},
	{"tag-saml-provider", "Action=TagSAMLProvider&SAMLProviderArn=" + goldenSAML + "&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"list-saml-provider-tags", "Action=ListSAMLProviderTags&SAMLProviderArn=" + goldenSAML},
	{"untag-saml-provider", "Action=UntagSAMLProvider&SAMLProviderArn=" + goldenSAML + "&TagKeys.member.1=k"},
	{"delete-saml-provider", "Action=DeleteSAMLProvider&SAMLProviderArn=" + goldenSAML},
	// What a standalone account answers (docs/iam-operations.md), the
	// credential report, the STS preferences and the service-access lists.
	{"enable-organizations-root-credentials-management", "Action=EnableOrganizationsRootCredentialsManagement"},
	{"disable-organizations-root-credentials-management", "Action=DisableOrganizationsRootCredentialsManagement"},
	{"enable-organizations-root-sessions", "Action=EnableOrganizationsRootSessions"},
	{"disable-organizations-root-sessions", "Action=DisableOrganizationsRootSessions"},
	{"list-organizations-features", "Action=ListOrganizationsFeatures"},
	{"generate-organizations-access-report", "Action=GenerateOrganizationsAccessReport&EntityPath=o-a1b2c3d4e5"},
	{"get-organizations-access-report", "Action=GetOrganizationsAccessReport&JobId=" + strings.Repeat("a", 36)},
	{"create-delegation-request", "Action=CreateDelegationRequest&Description=d&Permissions.PolicyTemplateArn=arn:aws:iam::aws:policy/ReadOnlyAccess&RequestorWorkflowId=w&NotificationChannel=arn:aws:sns:us-east-1:123456789012:t&SessionDuration=3600"},
	{"get-delegation-request", "Action=GetDelegationRequest&DelegationRequestId=" + strings.Repeat("d", 16)},
	{"accept-delegation-request", "Action=AcceptDelegationRequest&DelegationRequestId=" + strings.Repeat("d", 16)},
	{"associate-delegation-request", "Action=AssociateDelegationRequest&DelegationRequestId=" + strings.Repeat("d", 16)},
	{"reject-delegation-request", "Action=RejectDelegationRequest&DelegationRequestId=" + strings.Repeat("d", 16)},
	{"update-delegation-request", "Action=UpdateDelegationRequest&DelegationRequestId=" + strings.Repeat("d", 16)},
	{"send-delegation-token", "Action=SendDelegationToken&DelegationRequestId=" + strings.Repeat("d", 16)},
	{"list-delegation-requests", "Action=ListDelegationRequests"},
	{"get-human-readable-summary", "Action=GetHumanReadableSummary&EntityArn=arn:aws:iam::" + idAccount + ":role/missing"},
	{"acquire-role", "Action=AcquireRole&TemplateArn=arn:aws:iam::aws:role-template/missing"},
	{"get-role-template-version", "Action=GetRoleTemplateVersion&TemplateArn=arn:aws:iam::aws:role-template/missing"},
	{"get-account-properties", "Action=GetAccountProperties"},
	{"put-account-properties", "Action=PutAccountProperties"},
	{"enable-outbound-web-identity-federation", "Action=EnableOutboundWebIdentityFederation"},
	{"disable-outbound-web-identity-federation", "Action=DisableOutboundWebIdentityFederation"},
	{"get-outbound-web-identity-federation-info", "Action=GetOutboundWebIdentityFederationInfo"},
	{"get-credential-report-none", "Action=GetCredentialReport"},
	{"generate-credential-report", "Action=GenerateCredentialReport"},
	{"generate-credential-report-again", "Action=GenerateCredentialReport"},
	{"get-credential-report", "Action=GetCredentialReport"},
	{"set-security-token-service-preferences", "Action=SetSecurityTokenServicePreferences&GlobalEndpointTokenVersion=v2Token"},
	{"get-account-summary-v2-token", "Action=GetAccountSummary"},
	{"create-user-grants", "Action=CreateUser&UserName=grants"},
	{"attach-user-policy-grants", "Action=AttachUserPolicy&UserName=grants&PolicyArn=arn:aws:iam::aws:policy/AmazonMQReadOnlyAccess"},
	{"list-policies-granting-service-access", "Action=ListPoliciesGrantingServiceAccess&Arn=arn:aws:iam::" + idAccount + ":user/grants&ServiceNamespaces.member.1=mq&ServiceNamespaces.member.2=s3"},
	// Console passwords and the password policy ({…} are goldenCredentials').
	{"create-user-creds", "Action=CreateUser&UserName=creds"},
	{"update-account-password-policy", "Action=UpdateAccountPasswordPolicy&MinimumPasswordLength=12&RequireNumbers=true&MaxPasswordAge=90&PasswordReusePrevention=3"},
	{"get-account-password-policy", "Action=GetAccountPasswordPolicy"},
	{"create-login-profile", "Action=CreateLoginProfile&UserName=creds&Password=Golden-Password-1&PasswordResetRequired=true"},
	{"create-login-profile-weak", "Action=CreateLoginProfile&UserName=grants&Password=short"},
	{"update-login-profile", "Action=UpdateLoginProfile&UserName=creds&Password=Golden-Password-2"},
	{"get-login-profile", "Action=GetLoginProfile&UserName=creds"},
	{"change-password-root", "Action=ChangePassword&OldPassword=Golden-Password-2&NewPassword=Golden-Password-3"},
	{"delete-login-profile", "Action=DeleteLoginProfile&UserName=creds"},
	{"delete-account-password-policy", "Action=DeleteAccountPasswordPolicy"},
	// Virtual MFA devices ({seed} is captured, {codeN} computed from it).
	{"create-virtual-mfa-device", "Action=CreateVirtualMFADevice&VirtualMFADeviceName=golden&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"enable-mfa-device", "Action=EnableMFADevice&UserName=creds&SerialNumber=" + goldenMFA + "&AuthenticationCode1={code1}&AuthenticationCode2={code2}"},
	{"get-mfa-device", "Action=GetMFADevice&UserName=creds&SerialNumber=" + goldenMFA},
	{"list-mfa-devices-creds", "Action=ListMFADevices&UserName=creds"},
	{"list-virtual-mfa-devices-assigned", "Action=ListVirtualMFADevices&AssignmentStatus=Assigned"},
	{"resync-mfa-device", "Action=ResyncMFADevice&UserName=creds&SerialNumber=" + goldenMFA + "&AuthenticationCode1={code3}&AuthenticationCode2={code4}"},
	{"tag-mfa-device", "Action=TagMFADevice&SerialNumber=" + goldenMFA + "&Tags.member.1.Key=k2&Tags.member.1.Value=v2"},
	{"list-mfa-device-tags", "Action=ListMFADeviceTags&SerialNumber=" + goldenMFA},
	{"untag-mfa-device", "Action=UntagMFADevice&SerialNumber=" + goldenMFA + "&TagKeys.member.1=k2"},
	{"deactivate-mfa-device", "Action=DeactivateMFADevice&UserName=creds&SerialNumber=" + goldenMFA},
	{"delete-virtual-mfa-device", "Action=DeleteVirtualMFADevice&SerialNumber=" + goldenMFA},
	// SSH public keys, signing and server certificates, service-specific
	// credentials.
	{"upload-ssh-public-key", "Action=UploadSSHPublicKey&UserName=creds&SSHPublicKeyBody={sshkey}"},
	{"get-ssh-public-key", "Action=GetSSHPublicKey&UserName=creds&SSHPublicKeyId={sshid}&Encoding=SSH"},
	{"get-ssh-public-key-pem", "Action=GetSSHPublicKey&UserName=creds&SSHPublicKeyId={sshid}&Encoding=PEM"},
	{"list-ssh-public-keys", "Action=ListSSHPublicKeys&UserName=creds"},
	{"update-ssh-public-key", "Action=UpdateSSHPublicKey&UserName=creds&SSHPublicKeyId={sshid}&Status=Inactive"},
	{"delete-ssh-public-key", "Action=DeleteSSHPublicKey&UserName=creds&SSHPublicKeyId={sshid}"},
	{"upload-signing-certificate", "Action=UploadSigningCertificate&UserName=creds&CertificateBody={cert}"},
	{"list-signing-certificates", "Action=ListSigningCertificates&UserName=creds"},
	{"update-signing-certificate", "Action=UpdateSigningCertificate&UserName=creds&CertificateId={signid}&Status=Inactive"},
	{"delete-signing-certificate", "Action=DeleteSigningCertificate&UserName=creds&CertificateId={signid}"},
	{"upload-server-certificate", "Action=UploadServerCertificate&ServerCertificateName=golden&Path=/cf/&CertificateBody={cert}&PrivateKey={privatekey}&Tags.member.1.Key=k&Tags.member.1.Value=v"},
	{"get-server-certificate", "Action=GetServerCertificate&ServerCertificateName=golden"},
	{"list-server-certificates", "Action=ListServerCertificates"},
	{"tag-server-certificate", "Action=TagServerCertificate&ServerCertificateName=golden&Tags.member.1.Key=k2&Tags.member.1.Value=v2"},
	{"list-server-certificate-tags", "Action=ListServerCertificateTags&ServerCertificateName=golden"},
	{"untag-server-certificate", "Action=UntagServerCertificate&ServerCertificateName=golden&TagKeys.member.1=k2"},
	{"update-server-certificate", "Action=UpdateServerCertificate&ServerCertificateName=golden&NewServerCertificateName=golden2"},
	{"delete-server-certificate", "Action=DeleteServerCertificate&ServerCertificateName=golden2"},
	{"create-service-specific-credential", "Action=CreateServiceSpecificCredential&UserName=creds&ServiceName=codecommit.amazonaws.com"},
	{"list-service-specific-credentials", "Action=ListServiceSpecificCredentials&UserName=creds"},
	{"update-service-specific-credential", "Action=UpdateServiceSpecificCredential&UserName=creds&ServiceSpecificCredentialId={svcid}&Status=Inactive"},
	{"reset-service-specific-credential", "Action=ResetServiceSpecificCredential&UserName=creds&ServiceSpecificCredentialId={svcid}"},
	{"delete-service-specific-credential", "Action=DeleteServiceSpecificCredential&UserName=creds&ServiceSpecificCredentialId={svcid}"},
	{"delete-user-creds", "Action=DeleteUser&UserName=creds"},
}

// shapeSecrets are the elements that hold secrets, whose text is redacted.
var shapeSecrets = regexp.MustCompile(`<(SecretAccessKey|SessionToken|ServicePassword|ServiceCredentialSecret|Base32StringSeed|QRCodePNG)>[^<]*</(?:SecretAccessKey|SessionToken|ServicePassword|ServiceCredentialSecret|Base32StringSeed|QRCodePNG)>`)

// shapeCaptures are values of earlier answers that later steps name: the
// access key's id and the deletion task's.
var shapeCaptures = map[string]*regexp.Regexp{
	"{key}":    regexp.MustCompile(`<AccessKeyId>([^<]+)</AccessKeyId>`),
	"{task}":   regexp.MustCompile(`<DeletionTaskId>([^<]+)</DeletionTaskId>`),
	"{seed}":   regexp.MustCompile(`<Base32StringSeed>([^<]+)</Base32StringSeed>`),
	"{sshid}":  regexp.MustCompile(`<SSHPublicKeyId>([^<]+)</SSHPublicKeyId>`),
	"{signid}": regexp.MustCompile(`<CertificateId>([^<]+)</CertificateId>`),
	"{svcid}":  regexp.MustCompile(`<ServiceSpecificCredentialId>([^<]+)</ServiceSpecificCredentialId>`),
}

// shapeRedactions are the values generated at random, redacted alike.
var shapeRedactions = []*regexp.Regexp{
	generatedID,
	regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`),
	regexp.MustCompile(`task/[A-Za-z0-9+/=_.-]+`),
	regexp.MustCompile(`\b(APKA|ASCA|ACCA)[A-Z0-9]{16,17}\b`), // SSH keys, server certificates, service-specific credentials
	regexp.MustCompile(`\b[A-Z2-7]{24}\b`),                    // signing certificates
}

// shapeAnswers runs shapeSteps against a fresh server at a fixed time and
// returns each step's status and body, redacted.
func shapeAnswers(t *testing.T) []string {
	t.Helper()
	at := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	st := servertest.OpenSQLite(t, store.Options{Key: bytes.Repeat([]byte{6}, 32), Now: now})
	lib := managed.Builtin()
	az := authz.New(st, lib, authz.Options{})
	changes := servertest.Follow(t, st, az.Apply)
	o := server.Options{Dev: true, DefaultAccount: idAccount, Sync: changes.Sync, Now: now,
		IDs: func() string { return "00000000-0000-0000-0000-000000000000" }}
	srv := servertest.Start(newServer(st, o, iam.New(st, lib, iam.Options{Now: now}), az))
	t.Cleanup(srv.Close)
	out := make([]string, len(shapeSteps))
	captured := goldenCredentials(t)
	captured["{saml}"] = goldenSAMLMetadata(t)
	for i, step := range shapeSteps {
		form := goldenMFACodes(t, step.form, captured["{seed}"], at)
		for name, v := range captured {
			form = strings.ReplaceAll(form, name, url.QueryEscape(v))
		}
		status, body := shapeCall(t, srv.URL, srv.Client(), form)
		// A deletion task runs in the background: ask again until it ends.
		for deadline := time.Now().Add(5 * time.Second); bytes.Contains(body, []byte("<Status>IN_PROGRESS</Status>")) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			status, body = shapeCall(t, srv.URL, srv.Client(), form)
		}
		for name, re := range shapeCaptures {
			if m := re.FindSubmatch(body); m != nil {
				captured[name] = string(m[1])
			}
		}
		for _, re := range shapeRedactions {
			body = re.ReplaceAll(body, []byte("REDACTED"))
		}
		body = shapeSecrets.ReplaceAll(body, []byte("<$1>REDACTED</$1>"))
		out[i] = fmt.Sprintf("%d\n%s\n", status, body)
	}
	return out
}

// shapeCall posts one Query request to IAM, or to STS for a form that starts
// with "sts:", as the root of idAccount (dev mode: a 12-digit key is that
// account's root, unverified) and returns the answer.
func shapeCall(t *testing.T, endpoint string, client *http.Client, form string) (int, []byte) {
	t.Helper()
	service, version := "iam", "2010-05-08"
	if rest, ok := strings.CutPrefix(form, "sts:"); ok {
		service, version, form = "sts", "2011-06-15", rest
	}
	r, err := http.NewRequestWithContext(context.Background(), http.MethodPost, endpoint+"/", strings.NewReader(form+"&Version="+version))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+idAccount+"/20261126/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	r.Header.Set("X-Amz-Date", "20261126T030000Z")
	resp, err := client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// TestShapesGolden compares every answer with testdata/shapes; -update
// rewrites the files.
func TestShapesGolden(t *testing.T) {
	answers := shapeAnswers(t)
	for i, step := range shapeSteps {
		file := filepath.Join("testdata", "shapes", fmt.Sprintf("%02d-%s.xml", i+1, step.name))
		if *update {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(answers[i]), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if answers[i] != string(want) {
			t.Errorf("%s =\n%s\nwant (%s)\n%s", step.name, answers[i], file, want)
		}
	}
}

// TestShapesOmit checks the rules of AWS's answers that the golden files
// follow, so that a rewritten golden file cannot quietly break them:
//   - list operations carry no Tags, PermissionsBoundary or RoleLastUsed (IAM
//     API Reference, ListUsers, ListRoles, ListInstanceProfiles);
//   - CreateRole, UpdateRoleDescription and CreateServiceLinkedRole carry no
//     MaxSessionDuration or RoleLastUsed, GetRole carries both (LocalStack's
//     aws.validated snapshots of 2026);
//   - an entity without tags has no <Tags> element, except in GetPolicy and
//     GetAccountAuthorizationDetails, which AWS answers with an empty one
//     (LocalStack's snapshots: get-policy-response, get-without-tags).
func TestShapesOmit(t *testing.T) {
	answers := shapeAnswers(t)
	has := func(i int, elem string) bool { return strings.Contains(answers[i], "<"+elem+">") }
	for i, step := range shapeSteps {
		switch {
		case strings.HasPrefix(step.name, "list-users"), strings.HasPrefix(step.name, "list-roles"),
			strings.HasPrefix(step.name, "list-instance-profiles"), step.name == "get-group":
			for _, elem := range []string{"Tags", "PermissionsBoundary", "RoleLastUsed"} {
				if has(i, elem) {
					t.Errorf("%s answers <%s>, which AWS leaves out of lists", step.name, elem)
				}
			}
		case step.name == "create-role", step.name == "create-role-full", step.name == "update-role-description",
			step.name == "create-service-linked-role":
			if has(i, "MaxSessionDuration") || has(i, "RoleLastUsed") {
				t.Errorf("%s answers MaxSessionDuration or RoleLastUsed, which AWS's answer has not", step.name)
			}
		case step.name == "get-role", step.name == "get-role-full", step.name == "get-role-service-linked":
			if !has(i, "MaxSessionDuration") || !strings.Contains(answers[i], "<RoleLastUsed>") {
				t.Errorf("%s lacks MaxSessionDuration or RoleLastUsed", step.name)
			}
		}
		if strings.Contains(answers[i], "<Tags></Tags>") && step.name != "get-account-authorization-details" && step.name != "get-policy-untagged" {
			t.Errorf("%s answers an empty <Tags>", step.name)
		}
	}
}
