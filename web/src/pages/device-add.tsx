import { useState } from 'preact/hooks';
import { errorText } from '../api.ts';
import { Banner } from '../components/Banner.tsx';
import { Button } from '../components/Button.tsx';
import { Field, SelectField } from '../components/Field.tsx';
import { devicesApi, type Device, type DeviceTypes } from '../device-api.ts';

type Errors = Partial<Record<'name' | 'type' | 'criticality' | 'manufacturer' | 'model' | 'form', string>>;

const EMPTY = { name: '', type: '', criticality: '', manufacturer: '', model: '', firmware: '', serial: '', location: '' };

/** "Add device" (devices.manage): the record only; the agent enrols later with a token. */
export function AddDevice({ vocabulary, onAdded }: { vocabulary: DeviceTypes; onAdded: (device: Device) => void }) {
  const [form, setForm] = useState(EMPTY);
  const [criticalityTouched, setCriticalityTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({});

  const set = (key: keyof typeof EMPTY) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const setType = (type: string) => {
    const typical = vocabulary.types.find((t) => t.name === type)?.typical_criticality;
    // The criticality follows the type's typical one until the person chooses it.
    setForm((f) => ({ ...f, type, criticality: criticalityTouched || typical === undefined ? f.criticality : typical }));
  };

  const typeOptions = [{ value: '', label: 'Choose a type…' }, ...vocabulary.types.map((t) => ({ value: t.name, label: t.label }))];
  const criticalityOptions = [{ value: '', label: 'Choose…' }, ...vocabulary.criticalities.map((c) => ({ value: c.name, label: c.label }))];

  const submit = async (e: Event) => {
    e.preventDefault();
    const next: Errors = {};
    const f = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()])) as typeof EMPTY;
    if (f.name === '') next.name = 'Enter the name staff use for the device (for example its asset tag).';
    if (f.type === '') next.type = 'Choose the type.';
    if (f.criticality === '') next.criticality = 'Choose the criticality.';
    if (f.manufacturer === '') next.manufacturer = 'Enter the manufacturer.';
    if (f.model === '') next.model = 'Enter the model.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      const { device } = await devicesApi.create({
        name: f.name,
        type: f.type,
        criticality: f.criticality,
        manufacturer: f.manufacturer,
        model: f.model,
        ...(f.firmware !== '' ? { firmware: f.firmware } : {}),
        ...(f.serial !== '' ? { serial: f.serial } : {}),
        ...(f.location !== '' ? { location: f.location } : {}),
      });
      setForm(EMPTY);
      setCriticalityTouched(false);
      onAdded(device);
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="add-device-title">
      <h2 id="add-device-title">Add device</h2>
      {errors.form ? <Banner tone="error"><p>{errors.form}</p></Banner> : null}
      <form class="form form-inline device-form" onSubmit={submit} noValidate>
        <Field label="Device name" value={form.name} onValue={set('name')} autoComplete="off" required error={errors.name ?? null} />
        <SelectField label="Type" value={form.type} onValue={setType} options={typeOptions} error={errors.type ?? null} />
        <SelectField
          label="Criticality"
          value={form.criticality}
          onValue={(v) => {
            setCriticalityTouched(true);
            set('criticality')(v);
          }}
          options={criticalityOptions}
          error={errors.criticality ?? null}
        />
        <Field label="Manufacturer" value={form.manufacturer} onValue={set('manufacturer')} autoComplete="off" required error={errors.manufacturer ?? null} />
        <Field label="Model" value={form.model} onValue={set('model')} autoComplete="off" required error={errors.model ?? null} />
        <Field label="Firmware" value={form.firmware} onValue={set('firmware')} autoComplete="off" hint="Optional: the version on record." />
        <Field label="Serial number" value={form.serial} onValue={set('serial')} autoComplete="off" hint="Optional." />
        <Field label="Location" value={form.location} onValue={set('location')} autoComplete="off" hint="Optional: ward, room." />
        <Button type="submit" variant="primary" busy={busy}>Add device</Button>
      </form>
    </section>
  );
}
