import type { FieldDefinition, Language } from '../../shared/case-fields';
import { fieldByApiName } from '../../shared/case-fields';
import type { FieldError } from '../../shared/validation';
import type { WebForm } from './webform.service';

/** The public Web-to-Case page: plain HTML, no script, every value escaped. */
const TEXT: Record<
  Language,
  Record<'submit' | 'required' | 'thanks' | 'number' | 'fix' | 'busy' | 'tooBig', string>
> = {
  en: {
    submit: 'Send',
    required: 'required',
    thanks: 'Thank you — we have received your request.',
    number: 'Your case number',
    fix: 'Please correct the marked fields.',
    busy: 'Too many submissions from your address; please try again in a minute.',
    tooBig: 'The form is too large.',
  },
  pl: {
    submit: 'Wyślij',
    required: 'wymagane',
    thanks: 'Dziękujemy — otrzymaliśmy Twoje zgłoszenie.',
    number: 'Numer Twojej sprawy',
    fix: 'Popraw zaznaczone pola.',
    busy: 'Zbyt wiele zgłoszeń z Twojego adresu; spróbuj ponownie za minutę.',
    tooBig: 'Formularz jest zbyt duży.',
  },
  'zh-CN': {
    submit: '提交',
    required: '必填',
    thanks: '谢谢，我们已收到您的请求。',
    number: '您的服务支持编号',
    fix: '请更正标记的字段。',
    busy: '您的提交过于频繁，请一分钟后再试。',
    tooBig: '表单内容过大。',
  },
};

const FIELD_ERRORS: Record<
  Language,
  { required: string; tooLong: (n: number) => string; invalid: string; email: string }
> = {
  en: {
    required: 'This field is required.',
    tooLong: (n) => `At most ${n} characters.`,
    invalid: 'This value is not valid.',
    email: 'Enter a valid email address.',
  },
  pl: {
    required: 'To pole jest wymagane.',
    tooLong: (n) => `Maksymalnie ${n} znaków.`,
    invalid: 'Nieprawidłowa wartość.',
    email: 'Podaj poprawny adres e-mail.',
  },
  'zh-CN': {
    required: '此字段为必填项。',
    tooLong: (n) => `最多 ${n} 个字符。`,
    invalid: '该值无效。',
    email: '请输入有效的电子邮件地址。',
  },
};

/** The visitor's language, from the error's code and details rather than the API's English message. */
export function fieldErrorText(error: FieldError, language: Language): string {
  const t = FIELD_ERRORS[language] ?? FIELD_ERRORS.en;
  if (error.code === 'MANDATORY_NOT_FOUND') return t.required;
  if (error.maximum_length !== undefined) return t.tooLong(error.maximum_length);
  if (error.expected_data_type === 'email') return t.email;
  return t.invalid;
}

export function textFor(language: Language) {
  return TEXT[language] ?? TEXT.en;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const STYLE = `body{font-family:system-ui,"Segoe UI","Noto Sans CJK SC",sans-serif;max-width:38rem;margin:2rem auto;padding:0 1rem;color:#242424}
label{display:block;font-weight:600;margin-top:1rem}input,textarea,select{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #8a8886;border-radius:4px}
textarea{min-height:8rem}.error{color:#a4262c;font-weight:400}.summary{background:#fde7e9;padding:.75rem;border-radius:4px}
button{margin-top:1.5rem;padding:.6rem 1.4rem;font:inherit;background:#0f6cbd;color:#fff;border:0;border-radius:4px}.hp{position:absolute;left:-10000px}`;

function page(language: Language, title: string, body: string): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function renderForm(
  form: WebForm,
  fields: readonly FieldDefinition[],
  values: ReadonlyMap<string, string> = new Map(),
  errors: FieldError[] = [],
  notice?: string,
): string {
  const t = textFor(form.language);
  const errorOf = (name: string) => errors.find((e) => e.api_name === name);
  const inputs = form.fields
    .map((f) => {
      const def = fieldByApiName(fields, f.api_name);
      const id = `f_${f.api_name}`;
      const value = values.get(f.api_name) ?? '';
      const error = errorOf(f.api_name);
      const common = `id="${id}" name="${escapeHtml(f.api_name)}"${f.required ? ' required' : ''}${def?.maxLength ? ` maxlength="${def.maxLength}"` : ''}${error ? ` aria-invalid="true" aria-describedby="${id}_e"` : ''}`;
      let control: string;
      if (def?.type === 'textarea') control = `<textarea ${common}>${escapeHtml(value)}</textarea>`;
      else if (def?.type === 'picklist')
        control = `<select ${common}><option value=""></option>${(def.picklist ?? [])
          .map(
            (o) =>
              `<option value="${escapeHtml(o.value)}"${o.value === value ? ' selected' : ''}>${escapeHtml(o.label[form.language] ?? o.value)}</option>`,
          )
          .join('')}</select>`;
      else {
        const type =
          def?.type === 'email'
            ? 'email'
            : def?.type === 'phone'
              ? 'tel'
              : def?.type === 'number'
                ? 'number'
                : def?.type === 'date'
                  ? 'date'
                  : def?.type === 'url'
                    ? 'url'
                    : 'text';
        control = `<input type="${type}" ${common} value="${escapeHtml(value)}">`;
      }
      return `<label for="${id}">${escapeHtml(f.label)}${f.required ? ` <span aria-hidden="true">*</span><span class="hp">(${t.required})</span>` : ''}</label>${control}${error ? `<div class="error" id="${id}_e">${escapeHtml(fieldErrorText(error, form.language))}</div>` : ''}`;
    })
    .join('\n');
  const summary = notice ?? (errors.length ? t.fix : undefined);
  return page(
    form.language,
    form.name,
    `<h1>${escapeHtml(form.name)}</h1>${summary ? `<p class="summary" role="alert">${escapeHtml(summary)}</p>` : ''}
<form method="post" accept-charset="utf-8">${inputs}
<div class="hp" aria-hidden="true"><label for="hp_website">Website</label><input id="hp_website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">${escapeHtml(t.submit)}</button></form>`,
  );
}

export function renderThanks(form: WebForm, caseNumber: string): string {
  const t = textFor(form.language);
  return page(
    form.language,
    form.name,
    `<h1>${escapeHtml(form.name)}</h1><p role="status">${escapeHtml(t.thanks)}</p><p>${escapeHtml(t.number)}: <strong data-testid="case-number">${escapeHtml(caseNumber)}</strong></p>`,
  );
}
