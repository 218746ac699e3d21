// /admin/shared-domains: email domains shared by many employers (nhs.net). People at one sign up by
// choosing their organisation, shown as "self-declared" until an administrator confirms it
// (docs/decisions/027-joining.md). Adding and removing are audited.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { adminErrorResponse, requireAdmin, type AdminActionData } from "~/.server/admin-route.server";
import { parseForm, readFormData } from "~/.server/forms.server";
import { addSharedDomain, listSharedDomains, removeSharedDomain } from "~/.server/models/joining.server";
import { AdminList } from "~/components/admin-list";
import { Button, ErrorSummary, str, TextInput } from "~/components/fields";
import { formatDate } from "~/components/format";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { sharedDomainSchema } from "~/schemas/joining";

export const meta: MetaFunction = () => [{ title: "Shared email domains – Administration – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  const done = new URL(request.url).searchParams.get("done");
  return { domains: await listSharedDomains(user), done: done === "added" || done === "removed" ? done : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const domainValue = formData.get("domain");
  const values = { domain: typeof domainValue === "string" ? domainValue : "" };
  try {
    if (intent === "remove") {
      await removeSharedDomain(user, formData.get("id"));
      throw redirect("/admin/shared-domains?done=removed");
    }
    const parsed = await parseForm(formData, sharedDomainSchema);
    if (!parsed.ok) return data<AdminActionData>({ errors: parsed.errors, values }, { status: 400 });
    await addSharedDomain(user, parsed.data.domain);
    throw redirect("/admin/shared-domains?done=added");
  } catch (err) {
    if (err instanceof Response) throw err;
    return adminErrorResponse(err, values);
  }
}

export default function AdminSharedDomains() {
  const { domains, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as AdminActionData | undefined;
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(sharedDomainSchema, {
    defaultValues: { domain: "" },
    actionData,
  });
  return (
    <>
      {done && !actionData ? (
        <SuccessBanner>
          {done === "added" ? "The domain is now shared." : "The domain is no longer shared."}
        </SuccessBanner>
      ) : null}
      <ErrorSummary errors={errors} />
      <h1>Shared email domains</h1>
      <p>
        Some email addresses are used by staff of many employers, like nhs.net (NHSmail). People with an address at a
        shared domain create an account by choosing their organisation from the list. Their organisation shows as
        “self-declared” to the people hub and on the People pages until an administrator confirms it.
      </p>
      <p>
        A domain can be shared or belong to one organisation, not both. Removing a shared domain does not affect
        existing accounts; new people at it must request access.
      </p>
      {domains.length ? (
        <AdminList
          caption={domains.length === 1 ? "1 shared domain" : `${domains.length} shared domains`}
          rows={domains}
          columns={[
            { heading: "Domain", cell: (d) => d.domain },
            { heading: "Shared since", cell: (d) => formatDate(d.createdAt) },
            { heading: "Accounts", numeric: true, cell: (d) => d.accounts.toLocaleString("en-GB") },
          ]}
          action={(d) => ({ intent: "remove", label: "Stop sharing", hiddenLabel: d.domain })}
        />
      ) : (
        <p>There are no shared domains.</p>
      )}
      <h2>Add a shared domain</h2>
      <Form method="post" {...formProps}>
        <TextInput
          label="Domain"
          hint="The part of the email address after the @, for example nhs.net"
          spellCheck={false}
          error={errors.domain}
          defaultValue={str(values.domain)}
          {...register("domain")}
        />
        <Button name="intent" value="add" disabled={isSubmitting}>
          Add shared domain
        </Button>
      </Form>
    </>
  );
}
