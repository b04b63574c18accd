// The IAM policy life cycle through the AWS SDK for JavaScript v3:
// node policies.mjs ENDPOINT. Credentials come from the environment (dev
// mode's test/test). Run by scripts/e2e/iam-policies.sh; the account ends
// empty.
import {
  IAMClient, CreatePolicyCommand, GetPolicyCommand, CreatePolicyVersionCommand, GetPolicyVersionCommand,
  ListPolicyVersionsCommand, DeletePolicyVersionCommand, SetDefaultPolicyVersionCommand, DeletePolicyCommand,
  ListPoliciesCommand, paginateListPolicies, CreateUserCommand, DeleteUserCommand, CreateRoleCommand, DeleteRoleCommand,
  AttachUserPolicyCommand, DetachUserPolicyCommand, AttachRolePolicyCommand, DetachRolePolicyCommand,
  ListAttachedUserPoliciesCommand, PutUserPolicyCommand, GetUserPolicyCommand, DeleteUserPolicyCommand,
  PutRolePermissionsBoundaryCommand, DeleteRolePermissionsBoundaryCommand, ListUsersCommand, ListRolesCommand,
} from "@aws-sdk/client-iam";

const endpoint = process.argv[2];
const iam = new IAMClient({ endpoint, region: "us-east-1", maxAttempts: 1 });
const MQ_FULL = "arn:aws:iam::aws:policy/AmazonMQFullAccess";
const MQ_SLR = "arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy";
const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const doc = (action) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

function check(cond, what) {
  if (!cond) {
    throw new Error("check failed: " + what);
  }
}

async function refused(promise, code) {
  try {
    await promise;
  } catch (e) {
    check(e.name === code, `want ${code}, got ${e.name}: ${e.message}`);
    return e.message;
  }
  throw new Error(`want ${code}, the call succeeded`);
}

const send = (c) => iam.send(c);

const created = (await send(new CreatePolicyCommand({ PolicyName: "js-policy", PolicyDocument: doc("mq:Describe*") }))).Policy;
const arn = created.Arn;
check(arn === "arn:aws:iam::123456789012:policy/js-policy" && created.DefaultVersionId === "v1", "CreatePolicy");
for (let i = 2; i <= 5; i++) {
  const v = (await send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(`mq:List${i}`), SetAsDefault: i === 3 }))).PolicyVersion;
  check(v.VersionId === `v${i}`, `CreatePolicyVersion v${i}`);
}
await refused(send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("mq:List6") })), "LimitExceededException");
// The JS SDK leaves the document URL-encoded, as IAM sends it.
const v3 = (await send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" }))).PolicyVersion;
check(v3.IsDefaultVersion && JSON.parse(decodeURIComponent(v3.Document)).Statement[0].Action === "mq:List3", "GetPolicyVersion");
check((await send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions.length === 5, "ListPolicyVersions");
await refused(send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" })), "DeleteConflictException");
await send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
check((await send(new GetPolicyCommand({ PolicyArn: arn }))).Policy.DefaultVersionId === "v1", "SetDefaultPolicyVersion");

let aws = 0;
for await (const page of paginateListPolicies({ client: iam, pageSize: 600 }, { Scope: "AWS" })) {
  aws += page.Policies.length;
}
check(aws === 1594, `${aws} AWS managed policies`);
check((await send(new GetPolicyCommand({ PolicyArn: MQ_FULL }))).Policy.DefaultVersionId === "v5", "GetPolicy AmazonMQFullAccess");
await refused(send(new DeletePolicyCommand({ PolicyArn: MQ_FULL })), "AccessDenied");

await send(new CreateUserCommand({ UserName: "js-user" }));
await send(new CreateRoleCommand({ RoleName: "js-role", AssumeRolePolicyDocument: trust }));
await send(new AttachUserPolicyCommand({ UserName: "js-user", PolicyArn: arn }));
await send(new AttachUserPolicyCommand({ UserName: "js-user", PolicyArn: MQ_FULL }));
await send(new AttachRolePolicyCommand({ RoleName: "js-role", PolicyArn: arn }));
await refused(send(new AttachRolePolicyCommand({ RoleName: "js-role", PolicyArn: MQ_SLR })), "PolicyNotAttachableException");
const attached = (await send(new ListAttachedUserPoliciesCommand({ UserName: "js-user" }))).AttachedPolicies;
check(attached.length === 2 && attached[0].PolicyName === "AmazonMQFullAccess", "ListAttachedUserPolicies");
await send(new PutUserPolicyCommand({ UserName: "js-user", PolicyName: "inline", PolicyDocument: doc("mq:List*") }));
const inline = await send(new GetUserPolicyCommand({ UserName: "js-user", PolicyName: "inline" }));
check(JSON.parse(decodeURIComponent(inline.PolicyDocument)).Statement[0].Action === "mq:List*", "GetUserPolicy");
await send(new PutRolePermissionsBoundaryCommand({ RoleName: "js-role", PermissionsBoundary: arn }));
await refused(send(new DeletePolicyCommand({ PolicyArn: arn })), "DeleteConflictException");

// Tear down: the account ends empty.
await send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "js-role" }));
await send(new DeleteUserPolicyCommand({ UserName: "js-user", PolicyName: "inline" }));
await send(new DetachUserPolicyCommand({ UserName: "js-user", PolicyArn: arn }));
await send(new DetachUserPolicyCommand({ UserName: "js-user", PolicyArn: MQ_FULL }));
await send(new DetachRolePolicyCommand({ RoleName: "js-role", PolicyArn: arn }));
for (const v of ["v2", "v3", "v4", "v5"]) {
  await send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
}
await send(new DeletePolicyCommand({ PolicyArn: arn }));
await send(new DeleteUserCommand({ UserName: "js-user" }));
await send(new DeleteRoleCommand({ RoleName: "js-role" }));
const left = (await send(new ListPoliciesCommand({ Scope: "Local" }))).Policies.length +
  (await send(new ListUsersCommand({}))).Users.length + (await send(new ListRolesCommand({}))).Roles.length;
check(left === 0, `${left} entities left`);
console.log("JavaScript v3 policies: ok");
