package store

// KindAccountSetting is the kind of change that setting, replacing or
// removing one of an account's settings records (Tx.PutAccountSetting).
const KindAccountSetting Kind = "account-setting"

// MaxAccountSetting bounds a setting's value in bytes: the largest is a
// credential report, one CSV row per user (5,000 users of about 400 bytes).
const MaxAccountSetting = 4 << 20
