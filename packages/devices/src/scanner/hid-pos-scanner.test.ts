// The device layer on this machine's real hidraw: node-hid must load (libudev, libusb), the list
// holds only usage page 0x8C, and a device that is not there answers an error value. Parsing of
// real scans is tested on recorded reports (hid-pos-report.test.ts); no HID POS scanner is
// attached to the test machines.
import type { Device } from 'node-hid';
import { describe, expect, it } from 'vitest';
import { hidPosDevicesFrom, listHidPosDevices, loadNodeHid, startHidPosScanner } from './hid-pos-scanner.ts';

describe('HID POS scanner devices (A10)', () => {
  it('node-hid loads here and the list holds only HID POS scanners', async () => {
    const hid = await loadNodeHid();
    expect(hid.ok).toBe(true);
    const listed = await listHidPosDevices();
    expect(listed.ok).toBe(true);
    if (!hid.ok || !listed.ok) return;
    const all = await hid.value.devicesAsync();
    expect(listed.value.map((d) => d.path)).toEqual(hidPosDevicesFrom(all).map((d) => d.path));
  });

  it('keeps usage page 0x8C interfaces only, once per path', () => {
    const keyboard: Device = {
      vendorId: 0x0c2e,
      productId: 0x0b61,
      path: '/dev/hidraw0',
      release: 1,
      interface: 0,
      usagePage: 0x01,
      usage: 0x06,
    };
    const scanner: Device = {
      vendorId: 0x0c2e,
      productId: 0x0b6a,
      path: '/dev/hidraw1',
      product: 'Honeywell Scanning and Mobility',
      release: 1,
      interface: 0,
      usagePage: 0x8c,
      usage: 0x02,
    };
    expect(hidPosDevicesFrom([keyboard, scanner, { ...scanner, usage: 0x12 }])).toEqual([
      {
        path: '/dev/hidraw1',
        vendorId: 0x0c2e,
        productId: 0x0b6a,
        manufacturer: null,
        product: 'Honeywell Scanning and Mobility',
        serialNumber: null,
      },
    ]);
  });

  it('a device that is not connected is an error value naming it; the scanner waits for it', async () => {
    const scanner = startHidPosScanner(
      { target: { vendorId: 0x0c2e, productId: 0x0b6a }, charset: 'utf-8', reconnectMs: 50 },
      { onScan: () => undefined },
    );
    const started = await scanner.started;
    expect(!started.ok && started.error.code).toBe('scanner_device_missing');
    expect(!started.ok && started.error.message).toContain('0c2e:0b6a');
    expect(scanner.status().state).toBe('waiting');
    await scanner.close();
    expect(scanner.status().state).toBe('closed');
  });

  it('a missing hidraw path is an error value too', async () => {
    const scanner = startHidPosScanner(
      { target: { path: '/dev/hidraw-missing' }, charset: 'utf-8', reconnectMs: 50 },
      { onScan: () => undefined },
    );
    const started = await scanner.started;
    expect(!started.ok && started.error.message).toContain('/dev/hidraw-missing');
    await scanner.close();
  });
});
