// What /reservists and /reservists/profile share: saving the joining form (one schema, the
// model's refusals shown next to the fields with what was typed kept).
import { data, redirect } from "@remix-run/node";
import { formDataToObject, parseForm } from "./forms.server";
import type { CurrentUser } from "./auth/types";
import { isReservistError, saveMyReservistProfile } from "./models/reservists.server";
import { reservistProfileSchema } from "~/schemas/reservists";

export async function saveProfileFromForm(user: CurrentUser, formData: FormData) {
  const parsed = await parseForm(formData, reservistProfileSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  try {
    const outcome = await saveMyReservistProfile(user, parsed.data);
    return redirect(`/reservists?done=${outcome}`);
  } catch (err) {
    if (isReservistError(err)) {
      const errors = Object.keys(err.errors).length ? err.errors : { registrationBody: err.message };
      return data({ errors, values: formDataToObject(formData, reservistProfileSchema) }, { status: 400 });
    }
    throw err;
  }
}
