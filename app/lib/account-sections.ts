// The sections of /account, in the order the account area's navigation lists them. Each area adds
// its own line (issue 12: details, password, sessions, two-step verification, your data).
export interface AccountSection {
  label: string;
  href: string;
}

export const ACCOUNT_SECTIONS: AccountSection[] = [{ label: "Two-step verification", href: "/account/security" }];
