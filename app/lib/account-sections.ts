// The sections of "Your account" (/account), in the order its navigation lists them.
export interface AccountSection {
  label: string;
  href: string;
}

export const ACCOUNT_SECTIONS: readonly AccountSection[] = [{ label: "Your data", href: "/account/data" }];
