// A request's answers as a summary list: shown to the person on their request page and to the
// people hub on the hub request page, so both read the same way. Answers are plain text (React
// text nodes, never HTML); a free-text answer keeps its line breaks, and several choices are a list.
import type { AnswerRow } from "~/schemas/request-forms";
import { SummaryList, SummaryListRow } from "./summary-list";

export function AnswersList({ answers }: { answers: AnswerRow[] }) {
  return (
    <SummaryList>
      {answers.map((row) => (
        <SummaryListRow key={row.key} label={row.question}>
          <Answer answer={row.answer} />
        </SummaryListRow>
      ))}
    </SummaryList>
  );
}

function Answer({ answer }: { answer: AnswerRow["answer"] }) {
  if (!Array.isArray(answer)) return <span className="staywell-pre-wrap">{answer}</span>;
  if (answer.length === 1) return <>{answer[0]}</>;
  return (
    <ul className="nhsuk-list nhsuk-list--bullet">
      {answer.map((a) => (
        <li key={a}>{a}</li>
      ))}
    </ul>
  );
}
