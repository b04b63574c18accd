// The IAM identity life cycle through the AWS SDK for JavaScript v3:
// node identities.mjs ENDPOINT. Credentials come from the environment.
import {
  IAMClient, CreateUserCommand, GetUserCommand, ListUsersCommand, UpdateUserCommand, DeleteUserCommand,
  TagUserCommand, ListUserTagsCommand, CreateGroupCommand, AddUserToGroupCommand, GetGroupCommand,
  RemoveUserFromGroupCommand, DeleteGroupCommand, CreateRoleCommand, GetRoleCommand, UpdateRoleCommand,
  DeleteRoleCommand, CreateInstanceProfileCommand, AddRoleToInstanceProfileCommand,
  ListInstanceProfilesForRoleCommand, RemoveRoleFromInstanceProfileCommand, DeleteInstanceProfileCommand,
  CreateAccessKeyCommand, ListAccessKeysCommand, DeleteAccessKeyCommand, GetAccountSummaryCommand,
  ListRolesCommand, ListGroupsCommand, paginateListUsers,
} from "@aws-sdk/client-iam";

const endpoint = process.argv[2];
const iam = new IAMClient({ endpoint, region: "us-east-1", maxAttempts: 1 });
const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

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
    return e;
  }
  throw new Error(`want ${code}, the call succeeded`);
}

const u = await iam.send(new CreateUserCommand({ UserName: "js-user", Path: "/js/", Tags: [{ Key: "sdk", Value: "js" }] }));
check(u.User.Arn.endsWith(":user/js/js-user"), "CreateUser ARN " + u.User.Arn);
check(u.User.CreateDate instanceof Date, "CreateDate is a date");
await refused(iam.send(new CreateUserCommand({ UserName: "JS-USER" })), "EntityAlreadyExistsException");
const e = await refused(iam.send(new GetUserCommand({ UserName: "nobody" })), "NoSuchEntityException");
check(e.message === "The user with name nobody cannot be found.", "NoSuchEntity message " + e.message);
for (const n of ["js-a", "js-b", "js-c"]) {
  await iam.send(new CreateUserCommand({ UserName: n }));
}
let seen = 0;
for await (const page of paginateListUsers({ client: iam, pageSize: 2 }, {})) {
  seen += page.Users.length;
}
check(seen === 4, "paginated ListUsers saw " + seen);
await iam.send(new UpdateUserCommand({ UserName: "js-c", NewUserName: "js-d" }));
await iam.send(new TagUserCommand({ UserName: "js-user", Tags: [{ Key: "more", Value: "x" }] }));
const tags = await iam.send(new ListUserTagsCommand({ UserName: "js-user" }));
check(tags.Tags.length === 2, "ListUserTags " + JSON.stringify(tags.Tags));

await iam.send(new CreateGroupCommand({ GroupName: "js-group" }));
await iam.send(new AddUserToGroupCommand({ GroupName: "js-group", UserName: "js-user" }));
const g = await iam.send(new GetGroupCommand({ GroupName: "js-group" }));
check(g.Users.length === 1 && g.Users[0].UserName === "js-user", "GetGroup users");
await refused(iam.send(new DeleteGroupCommand({ GroupName: "js-group" })), "DeleteConflictException");

const r = await iam.send(new CreateRoleCommand({ RoleName: "js-role", AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }));
check(decodeURIComponent(r.Role.AssumeRolePolicyDocument) === trust, "trust policy round trip");
await refused(iam.send(new CreateRoleCommand({ RoleName: "js-bad", AssumeRolePolicyDocument: "{" })), "MalformedPolicyDocumentException");
await iam.send(new UpdateRoleCommand({ RoleName: "js-role", Description: "from js" }));
const got = await iam.send(new GetRoleCommand({ RoleName: "js-role" }));
check(got.Role.Description === "from js" && got.Role.MaxSessionDuration === 7200, "GetRole after UpdateRole");
await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "js-profile" }));
await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "js-profile", RoleName: "js-role" }));
const ips = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "js-role" }));
check(ips.InstanceProfiles.length === 1, "ListInstanceProfilesForRole");
await refused(iam.send(new DeleteRoleCommand({ RoleName: "js-role" })), "DeleteConflictException");

const k = await iam.send(new CreateAccessKeyCommand({ UserName: "js-user" }));
check(k.AccessKey.AccessKeyId.startsWith("AKIA") && k.AccessKey.SecretAccessKey.length > 0, "CreateAccessKey");
const keys = await iam.send(new ListAccessKeysCommand({ UserName: "js-user" }));
check(keys.AccessKeyMetadata.length === 1, "ListAccessKeys");
const sum = await iam.send(new GetAccountSummaryCommand({}));
check(sum.SummaryMap.Users === 4 && sum.SummaryMap.Roles === 1 && sum.SummaryMap.UsersQuota === 5000, "GetAccountSummary " + JSON.stringify(sum.SummaryMap));

// Clean up: the account ends empty.
await iam.send(new DeleteAccessKeyCommand({ UserName: "js-user", AccessKeyId: k.AccessKey.AccessKeyId }));
await iam.send(new RemoveUserFromGroupCommand({ GroupName: "js-group", UserName: "js-user" }));
await iam.send(new DeleteGroupCommand({ GroupName: "js-group" }));
await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "js-profile", RoleName: "js-role" }));
await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "js-profile" }));
await iam.send(new DeleteRoleCommand({ RoleName: "js-role" }));
for (const n of ["js-user", "js-a", "js-b", "js-d"]) {
  await iam.send(new DeleteUserCommand({ UserName: n }));
}
const left = (await iam.send(new ListUsersCommand({}))).Users.length + (await iam.send(new ListRolesCommand({}))).Roles.length +
  (await iam.send(new ListGroupsCommand({}))).Groups.length;
check(left === 0, "account not empty: " + left);
console.log("js identities: ok");
