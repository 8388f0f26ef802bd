/** Why a pack was refused: the check's lines, as code, under a heading. Used by every install on this page. */
export function ImportErrors({
  heading,
  errors,
  testId,
}: {
  heading: string;
  errors: readonly string[];
  testId: string;
}) {
  return (
    <div class="ln-packs__error">
      <p>{heading}</p>
      <ul data-testid={testId}>
        {errors.map((line, i) => (
          <li key={i}>
            <code>{line}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
