// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Zero-length reads and bus recovery, in polling, interrupt-handler and async modes, on a
//! model whose targets own SDA as real ones do: after a read address the target drives its
//! next byte, and a stuck target holds SDA low until clocked (`Fault::SdaStuck`).

mod common;

use std::cell::RefMut;
use std::task::Poll;

use common::sim::*;
use common::*;
use embedded_hal::i2c::Operation;
use sifive_i2c::{Address, AsyncI2c, Error, I2c, IrqLine, IrqSignal, Transfer, RECOVERY_ROUNDS};
use sifive_i2c_hal::model::{Eeprom24c02, Event, Fault, Model};

#[derive(Clone, Copy, Debug)]
enum Mode {
    Polling,
    Handler,
    Async,
    AsyncOneshot,
}

const MODES: [Mode; 4] = [
    Mode::Polling,
    Mode::Handler,
    Mode::Async,
    Mode::AsyncOneshot,
];

/// What a test asks of the driver, in any mode.
enum Call<'o, 'b> {
    Transaction(Address, &'o mut [Operation<'b>]),
    Recovery,
}

/// Makes `call` on the async driver `a`; returns the result and the blocking driver back.
fn call_async<L: IrqLine>(
    sim: &Sim,
    signal: &IrqSignal,
    mut a: AsyncI2c<'_, Shared, Delay<'_>, L>,
    call: Call<'_, '_>,
) -> (Result<(), Error>, I2c<Shared>) {
    let (result, _) = match call {
        Call::Transaction(address, ops) => run(sim, signal, a.run(address, ops)),
        Call::Recovery => run(sim, signal, a.recover_bus()),
    };
    (result, a.into_inner())
}

/// A driver on a shared model, runnable in every mode.
struct Rig {
    sim: Sim,
    signal: IrqSignal,
    i2c: Option<I2c<Shared>>,
}

impl Rig {
    fn new() -> Self {
        let sim = sim();
        let i2c = I2c::new(sim.regs.clone(), config()).unwrap();
        let rig = Self {
            sim,
            signal: IrqSignal::new(),
            i2c: Some(i2c),
        };
        rig.model().take_events();
        rig.model().reset_counters();
        rig
    }

    fn model(&self) -> RefMut<'_, Model> {
        self.sim.regs.0.borrow_mut()
    }

    fn i2c(&mut self) -> &mut I2c<Shared> {
        self.i2c.as_mut().expect("driver")
    }

    /// Drives `t` as an interrupt handler plus a waiting thread do (see `isr_drive`).
    fn handler_drive(&mut self, mut t: Transfer<'_, '_>) -> Result<(), Error> {
        for _ in 0..1_000_000 {
            self.model().tick();
            let line = self.model().irq_line();
            if line || !t.awaits_interrupt() {
                let done = self.i2c().advance(&mut t);
                assert!(!self.model().irq_line(), "interrupt line left high");
                if let Poll::Ready(result) = done {
                    return result;
                }
            }
        }
        panic!("no completion");
    }

    fn transact(
        &mut self,
        mode: Mode,
        address: u8,
        ops: &mut [Operation<'_>],
    ) -> Result<(), Error> {
        self.call(mode, Call::Transaction(Address::SevenBit(address), ops))
    }

    fn recover(&mut self, mode: Mode) -> Result<(), Error> {
        self.call(mode, Call::Recovery)
    }

    /// Makes `call` in `mode`, with the interrupt enabled in the modes that take it.
    fn call(&mut self, mode: Mode, call: Call<'_, '_>) -> Result<(), Error> {
        match mode {
            Mode::Polling => {
                self.i2c().set_interrupt(false).unwrap();
                match call {
                    Call::Transaction(address, ops) => self.i2c().transaction(address, ops),
                    Call::Recovery => self.i2c().recover_bus(),
                }
            }
            Mode::Handler => {
                self.i2c().set_interrupt(true).unwrap();
                // Transfer is invariant over its operations' lifetime: one start per arm.
                match call {
                    Call::Transaction(address, ops) => {
                        let t = self.i2c().start(address, ops)?;
                        self.handler_drive(t)
                    }
                    Call::Recovery => {
                        let t = self.i2c().start_recovery();
                        self.handler_drive(t)
                    }
                }
            }
            Mode::Async => {
                let i2c = self.i2c.take().expect("driver");
                let a = AsyncI2c::new(i2c, &self.signal, Delay(&self.sim));
                let (result, i2c) = call_async(&self.sim, &self.signal, a, call);
                self.i2c = Some(i2c);
                result
            }
            Mode::AsyncOneshot => {
                let i2c = self.i2c.take().expect("driver");
                self.sim.oneshot.set(true);
                let a = AsyncI2c::with_irq_line(
                    i2c,
                    &self.signal,
                    Delay(&self.sim),
                    SimLine(&self.sim),
                );
                let (result, i2c) = call_async(&self.sim, &self.signal, a, call);
                self.i2c = Some(i2c);
                self.sim.oneshot.set(false);
                assert!(!self.sim.held.get(), "interrupt left masked");
                result
            }
        }
    }

    /// Writes `data` at EEPROM word address `at`, then points the EEPROM back at it.
    fn preload(&mut self, mode: Mode, at: u8, data: &[u8]) {
        let mut bytes = vec![at];
        bytes.extend_from_slice(data);
        self.transact(mode, EEPROM, &mut [Operation::Write(&bytes)])
            .unwrap();
        self.transact(mode, EEPROM, &mut [Operation::Write(&[at])])
            .unwrap();
        self.model().take_events();
        self.model().reset_counters();
    }

    /// Checks that a write and a read back work and the bus ends idle.
    fn assert_next_transfer_works(&mut self, mode: Mode) {
        self.transact(mode, EEPROM, &mut [Operation::Write(&[0x70, 0xc3, 0x3c])])
            .unwrap();
        let mut buf = [0; 2];
        self.transact(
            mode,
            EEPROM,
            &mut [Operation::Write(&[0x70]), Operation::Read(&mut buf)],
        )
        .unwrap();
        assert_eq!(buf, [0xc3, 0x3c], "{mode:?}");
        let mut m = self.model();
        assert_clean_end(&mut m);
        assert!(!m.irq_line());
    }
}

/// The target's next bit is 0: the STOP after the read address alone cannot happen. The
/// driver clocks one byte out, NACKs it and then stops. (Before zero-length reads did this,
/// this failed in every mode: Timeout with SR.BUSY left set, then BusBusy for ever after; in
/// interrupt-handler mode the line stayed high while the driver polled.)
#[test]
fn zero_length_read_when_the_next_bit_is_0() {
    for mode in MODES {
        let mut rig = Rig::new();
        rig.preload(mode, 0x40, &[0x00]);
        assert_eq!(
            rig.transact(mode, EEPROM, &mut [Operation::Read(&mut [])]),
            Ok(()),
            "{mode:?}"
        );
        {
            let mut m = rig.model();
            assert_eq!(
                m.take_events(),
                [
                    Event::Start,
                    addr(EEPROM, true),
                    r(0x00, false),
                    Event::Stop
                ],
                "{mode:?}"
            );
            assert!(m.bus_idle(), "{mode:?}");
        }
        rig.assert_next_transfer_works(mode);
    }
}

#[test]
fn zero_length_read_when_the_next_bit_is_1() {
    for mode in MODES {
        let mut rig = Rig::new();
        rig.preload(mode, 0x40, &[0x80]);
        assert_eq!(
            rig.transact(mode, EEPROM, &mut [Operation::Read(&mut [])]),
            Ok(()),
            "{mode:?}"
        );
        assert_eq!(
            rig.model().take_events(),
            [
                Event::Start,
                addr(EEPROM, true),
                r(0x80, false),
                Event::Stop
            ],
            "{mode:?}"
        );
        rig.assert_next_transfer_works(mode);
    }
}

/// A zero-length read to an absent target is an address NACK; nobody drives SDA.
#[test]
fn zero_length_read_to_an_absent_target_is_an_address_nack() {
    for mode in MODES {
        let mut rig = Rig::new();
        assert_eq!(
            rig.transact(mode, ABSENT, &mut [Operation::Read(&mut [])]),
            Err(Error::AddressNack),
            "{mode:?}"
        );
        rig.assert_next_transfer_works(mode);
    }
}

/// A target left mid-byte (the host was reset) holds SDA: the transfer finds the bus busy,
/// waits, recovers it with 9 clocks and a STOP, and then runs normally.
#[test]
fn a_stuck_target_at_the_start_is_recovered_and_the_transfer_runs() {
    for mode in MODES {
        let mut rig = Rig::new();
        rig.preload(mode, 0x20, &[0x11, 0x22]);
        rig.model().inject(Fault::SdaStuck(5));
        let mut buf = [0; 2];
        rig.transact(
            mode,
            EEPROM,
            &mut [Operation::Write(&[0x20]), Operation::Read(&mut buf)],
        )
        .unwrap();
        assert_eq!(buf, [0x11, 0x22], "{mode:?}");
        let mut m = rig.model();
        let log = m.take_events();
        // Five 0 bits then the released line's 1s, NACKed; STOP; then the transfer.
        assert_eq!(
            &log[..3],
            &[r(0x07, false), Event::Stop, Event::Start],
            "{mode:?}"
        );
        assert_eq!(log.last(), Some(&Event::Stop));
        assert_eq!(m.guest_errors(), &[], "{mode:?}");
    }
}

/// A target that holds SDA for 20 clocks needs three rounds of 9.
#[test]
fn recovery_takes_as_many_rounds_as_the_target_needs() {
    for mode in MODES {
        let mut rig = Rig::new();
        rig.model().inject(Fault::SdaStuck(20));
        assert_eq!(rig.recover(mode), Ok(()), "{mode:?}");
        let mut m = rig.model();
        let log = m.take_events();
        assert_eq!(
            log,
            [
                Event::ArbitrationLost,
                Event::ArbitrationLost,
                r(0x3f, false),
                Event::Stop
            ],
            "{mode:?}"
        );
        assert!(m.bus_idle());
        drop(m);
        rig.assert_next_transfer_works(mode);
    }
}

#[test]
fn recovery_gives_up_with_bus_busy_on_a_target_that_never_releases() {
    for mode in MODES {
        let mut rig = Rig::new();
        rig.model().inject(Fault::SdaStuck(u32::MAX));
        let result = rig.transact(mode, EEPROM, &mut [Operation::Write(&[0x10, 1])]);
        assert_eq!(result, Err(Error::BusBusy), "{mode:?}");
        {
            let m = rig.model();
            assert!(!m.bus_idle());
            // Nothing but the recovery's RD and STOP commands (and IACKs) was written.
            let budget = config().poll_budget();
            let rounds = u32::from(RECOVERY_ROUNDS);
            assert!(
                m.writes() <= rounds * 3 + 4,
                "{mode:?}: {} writes",
                m.writes()
            );
            assert!(
                m.reads() <= (2 * rounds + 2) * budget,
                "{mode:?}: {} reads",
                m.reads()
            );
            assert_eq!(m.guest_errors(), &[], "{mode:?}");
        }
        assert_eq!(rig.recover(mode), Err(Error::BusBusy), "{mode:?}");
        // The target lets go: recovery now frees the bus, and transfers work again.
        rig.model().clear_faults();
        assert_eq!(rig.recover(mode), Ok(()), "{mode:?}");
        assert!(rig.model().bus_idle());
        rig.assert_next_transfer_works(mode);
    }
}

#[test]
fn recovery_of_an_idle_bus_reads_sr_once_and_writes_nothing() {
    for mode in MODES {
        let mut rig = Rig::new();
        assert_eq!(rig.recover(mode), Ok(()));
        let m = rig.model();
        assert_eq!(
            (m.reads(), m.writes_of(sifive_i2c_hal::regs::WriteReg::Cr)),
            (1, 0)
        );
        assert!(m.events().is_empty(), "{mode:?}");
    }
}

/// A target starts holding SDA while the last byte is on the wire: the STOP that rides on
/// it cannot happen. The driver waits its budget, recovers the bus and reports Timeout.
#[test]
fn a_stop_that_cannot_complete_is_recovered_and_reported() {
    for handler in [false, true] {
        let mut i2c = driver();
        i2c.set_interrupt(handler).unwrap();
        let mut ops = [Operation::Write(&[0x00])];
        let mut t = i2c.start(Address::SevenBit(EEPROM), &mut ops).unwrap();
        while i2c.regs().events().len() < 2 {
            assert_eq!(i2c.advance(&mut t), Poll::Pending);
        }
        // The address byte is done and WR|STO is in flight.
        i2c.regs_mut().inject(Fault::SdaStuck(12));
        let (result, _) = isr_drive_or_poll(&mut i2c, t, handler);
        assert_eq!(result, Err(Error::Timeout));
        let m = i2c.regs_mut();
        assert_eq!(
            m.take_events(),
            [
                Event::Start,
                addr(EEPROM, false),
                w(0x00),
                r(0x1f, false),
                Event::Stop
            ]
        );
        assert!(m.bus_idle());
        assert!(!m.irq_line());
        assert_eq!(m.guest_errors(), &[]);
        i2c.write(EEPROM, &[0x10, 5]).unwrap();
        assert_clean_end(i2c.regs_mut());
    }
}

fn isr_drive_or_poll(
    i2c: &mut I2c<Model>,
    mut t: Transfer<'_, '_>,
    handler: bool,
) -> (Result<(), Error>, u32) {
    if handler {
        return isr_drive(i2c, t);
    }
    loop {
        if let Poll::Ready(result) = i2c.advance(&mut t) {
            return (result, 0);
        }
    }
}

/// The same contract holds for a 10-bit target.
#[test]
fn zero_length_ten_bit_read_when_the_next_bit_is_0() {
    let mut m = model();
    let mut e = Eeprom24c02::new();
    e.memory_mut()[0] = 0x00;
    m.attach_ten_bit(0x2a5, e);
    let mut i2c = driver_on(m);
    embedded_hal::i2c::I2c::<u16>::read(&mut i2c, 0x2a5, &mut []).unwrap();
    let m = i2c.regs_mut();
    assert_eq!(
        m.events()[m.events().len() - 2..],
        [r(0x00, false), Event::Stop]
    );
    assert_clean_end(m);
}

/// The async driver's wait for a recovery command times out (its clocks never end): the
/// command is cut short by a STOP and recovery goes on with its next round, so it still
/// clocks at most `RECOVERY_ROUNDS` times.
#[test]
fn a_recovery_command_that_times_out_is_cut_short_by_stop() {
    let sim = sim();
    sim.regs.0.borrow_mut().inject(Fault::SdaStuck(u32::MAX));
    sim.regs.0.borrow_mut().take_events();
    let signal = sifive_i2c::IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config().with_wait_budget_us(200)).unwrap();
    let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
    sim.regs.0.borrow_mut().inject(Fault::TipStuck);
    let (r, _) = run(&sim, &signal, i2c.recover_bus());
    assert_eq!(r, Err(Error::BusBusy));
    let mut m = sim.regs.0.borrow_mut();
    // The first round's RD never ended; the STOP written over it is the one tolerated
    // overwrite. Rounds two and three each lose the NACK bit to the stuck target.
    assert_eq!(
        m.take_guest_errors(),
        [sifive_i2c_hal::model::GuestError::CommandWhileTip(0x41)]
    );
    assert_eq!(
        m.take_events(),
        [Event::ArbitrationLost, Event::ArbitrationLost],
        "rounds after the cut-short one"
    );
}
