// The sections of "Your account" (/account), in the order of its side navigation
// (app/routes/account.tsx). Each area adds its own line.
export interface AccountSection {
  label: string;
  href: string;
}

export const ACCOUNT_SECTIONS: readonly AccountSection[] = [
  { label: "Your details", href: "/account" },
  { label: "Contact and emails", href: "/account/preferences" },
  { label: "Password", href: "/account/password" },
  { label: "Where you are signed in", href: "/account/sessions" },
  { label: "Two-step verification", href: "/account/security" },
  { label: "Your data", href: "/account/data" },
  { label: "Leaving your job", href: "/leaving" },
];
