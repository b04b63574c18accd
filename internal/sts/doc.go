// Package sts holds the STS operations (role sessions, temporary credentials),
// independent of HTTP.
//
// [CallerForKey] says who a verified access key acts as, and
// [GetCallerIdentity] answers it without any permission, as in AWS (STS API
// Reference, GetCallerIdentity: "No permissions are required to perform this
// operation"). [Service.AssumeRole] makes role sessions: it checks the
// parameters (session tags against the model's pattern, no reserved aws:
// key, DurationSeconds from 900 when given), the role's MaxSessionDuration
// (one hour when chaining), the session policies' and tags' packed size,
// asks the endpoint's [Authorize] for sts:AssumeRole (and sts:TagSession,
// sts:SetSourceIdentity) with the role's trust policy as the resource-based
// policy, and then that the managed session policies exist in the role's
// account ([PolicyLookup]). [Service.GetSessionToken] gives a user or root
// temporary credentials that act as itself (marked [Session].UserSession:
// without MFA the endpoint lets them call no IAM operation). Both take an
// MFA code ([MFA]: SerialNumber and TokenCode), checked once against the
// caller's virtual MFA device (iam.VerifyMFA); the session then carries
// aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge. Temporary keys (ASIA…, a session token, an expiry) are
// stored in the store with their [Session] as JSON, so every node accepts
// them until they expire.
//
// Federation (issue 22): [Service.AssumeRoleWithWebIdentity] verifies an
// OIDC ID token (go-jose) with its provider's keys, which [LocalKeys] finds
// in a JWKS file or at a loopback issuer checked by thumbprint, never on the
// internet; [Service.AssumeRoleWithSAML] verifies a SAML assertion's XML
// signature (goxmldsig) against the SAML provider's metadata. Both decide
// with the role's trust policy alone (the provider as Federated, its keys
// PROVIDER:sub, :aud, :amr or saml:aud, :sub, :iss, …) and make role
// sessions that carry aws:FederatedProvider, the IdP's session tags and
// source identity. [Service.GetFederationToken] makes federated-user
// sessions (the user's permissions intersected with the session policies);
// [Service.GetAccessKeyInfo] names a key's account;
// [Service.DecodeAuthorizationMessage] refuses every message, since iamq
// encodes none.
//
// It may import internal/iam (and, below it, internal/store).
package sts
