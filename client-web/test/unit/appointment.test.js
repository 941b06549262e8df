import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarFile, countdown, dayAndTime, hourOf } from '../../src/appointment.js';
import { problemFor, translate } from '../../src/i18n.js';

// Tuesday 8 December 2026, 14:00 in Brussels (winter time, UTC+1).
const START = Date.parse('2026-12-08T13:00:00Z');
const END = START + 45 * 60000;
const OPENS = START - 15 * 60000;

describe('appointment words', () => {
  it('says when in Flemish Dutch, in Brussels time, then English', () => {
    expect(translate('nl', 'appointmentStarts', { when: dayAndTime(START, 'nl') }))
      .toBe('Je gesprek begint dinsdag 8 december om 14:00.');
    expect(dayAndTime(START, 'en')).toBe('Tuesday 8 December at 14:00');
    expect(hourOf(OPENS)).toBe('13:45');
    // Summer time: 14:00 in Brussels is 12:00 UTC.
    expect(dayAndTime(Date.parse('2026-03-30T12:00:00Z'), 'nl')).toBe('maandag 30 maart om 14:00');
  });

  it('counts down in words', () => {
    expect(countdown(4 * 60000, 'nl')).toBe('nog 4 minuten');
    expect(countdown(60000, 'nl')).toBe('nog 1 minuut');
    expect(countdown(65 * 60000, 'nl')).toBe('nog 1 uur en 5 minuten');
    expect(countdown((2 * 1440 + 180) * 60000, 'nl')).toBe('nog 2 dagen en 3 uur');
    expect(countdown(1440 * 60000, 'en')).toBe('1 day to go');
    expect(countdown(0, 'nl')).toBeNull();
  });

  it('sends a passed or cancelled appointment to its own screen', () => {
    expect(problemFor('BE.PRAATBRUG.APPOINTMENT_PASSED')).toBe('Passed');
    expect(problemFor('BE.PRAATBRUG.APPOINTMENT_CANCELLED')).toBe('Cancelled');
  });
});

describe('calendar file', () => {
  const file = calendarFile({ startsAt: START, endsAt: END, opensAt: OPENS, uid: 'abc@praatbrug', now: START - 86400000 });

  it('parses as iCalendar with the start in Europe/Brussels and a reminder', () => {
    const calendar = new ICAL.Component(ICAL.parse(file));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent'));
    expect(event.startDate.toJSDate().getTime()).toBe(START);
    expect(event.endDate.toJSDate().getTime()).toBe(END);
    expect(new Intl.DateTimeFormat('nl-BE', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit' })
      .format(event.startDate.toJSDate())).toBe('14:00');
    const alarm = calendar.getFirstSubcomponent('vevent').getFirstSubcomponent('valarm');
    expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(alarm.getFirstPropertyValue('trigger').toSeconds()).toBe(-15 * 60);
  });

  it('gives nothing away on a shared phone', () => {
    expect(file).toContain('SUMMARY:Afspraak');
    expect(file).toContain('vanaf 13:45');
    expect(file).not.toMatch(/praatbrug\.|binnen|CAW|CLB|http/i);
    expect(file.split('\r\n').every((line) => line.length <= 75)).toBe(true);
  });
});

describe('the counsellor page', async () => {
  const { counsellorCalendar, moveCommand, planCommand } = await import('../../src/desk/appointments.js');

  it('turns the plan form into the bot command, one word per field', () => {
    expect(planCommand({ day: 'dinsdag', time: '14:00' })).toBe('!afspraak dinsdag 14:00');
    expect(planCommand({ day: ' 10/12 ', time: '9u30', length: '45m', ref: 'C-7K3P-9Q2M' }))
      .toBe('!afspraak 10/12 9u30 45m voor C-7K3P-9Q2M');
    expect(planCommand({ day: 'dinsdag', time: '' })).toBeNull();
    expect(planCommand({ day: 'dinsdag 14:00', time: '15:00' })).toBeNull();
    expect(planCommand({ day: 'morgen', time: '9u', ref: 'C-1 !gesprek' })).toBeNull();
  });

  it('moves by room id with what she typed', () => {
    expect(moveCommand('!r:caw.test', ' woensdag  15:00 ')).toBe('!afspraak verzet !r:caw.test woensdag 15:00');
    expect(moveCommand('!r:caw.test', 'woensdag 15:00 1u')).toBe('!afspraak verzet !r:caw.test woensdag 15:00 1u');
    expect(moveCommand('!r:caw.test', 'woensdag')).toBeNull();
  });

  it('gives her own calendar file with room and record, reminding 10 minutes before', () => {
    const file = counsellorCalendar({ room_id: '!r:caw.test', room_name: 'rustige-groene-boot', client_ref: 'C-7K3P-9Q2M',
      starts_at: START, ends_at: END, opens_at: OPENS }, 'nl');
    const calendar = new ICAL.Component(ICAL.parse(file));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent'));
    expect(event.summary).toBe('Gesprek rustige-groene-boot (C-7K3P-9Q2M)');
    expect(event.startDate.toJSDate().getTime()).toBe(START);
    expect(calendar.getFirstSubcomponent('vevent').getFirstSubcomponent('valarm')
      .getFirstPropertyValue('trigger').toSeconds()).toBe(-600);
  });
});
