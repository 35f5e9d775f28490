// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Interrupt-driven transfers: an interrupt handler driving the state machine, and the
//! async implementation woken by the interrupt, both on the model's interrupt line.

mod common;

use common::sim::*;
use common::*;
use embedded_hal::i2c::Operation;
use sifive_i2c::{AsyncI2c, Error, I2c, IrqSignal};
use sifive_i2c_hal::model::{Event, Fault, Model};
use sifive_i2c_hal::Counting;

#[test]
fn interrupt_handler_drives_a_write_read() {
    let mut i2c = driver();
    let (r, _) = isr_driven(&mut i2c, &mut [Operation::Write(&[0x10, 0xde, 0xad])]);
    r.unwrap();
    let mut buf = [0; 2];
    let (r, irqs) = isr_driven(
        &mut i2c,
        &mut [Operation::Write(&[0x10]), Operation::Read(&mut buf)],
    );
    r.unwrap();
    assert_eq!(buf, [0xde, 0xad]);
    // Address, word address, repeated START + address, two bytes (the last with STOP).
    assert_eq!(irqs, 5);
    assert_clean_end(i2c.regs_mut());
}

#[test]
fn interrupt_handler_path_costs_three_accesses_per_byte() {
    let cost = |n: usize| {
        let mut i2c = driver();
        let data = vec![0x5a; n];
        isr_driven(&mut i2c, &mut [Operation::Write(&data)])
            .0
            .unwrap();
        let m = i2c.regs();
        m.reads() + m.writes()
    };
    assert_eq!(cost(17) - cost(16), 3, "SR read, TXR write, CR write");
}

#[test]
fn interrupt_handler_path_reports_nack_and_stops() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::NackData(1));
    let (r, _) = isr_driven(&mut i2c, &mut [Operation::Write(&[0x10, 1, 2])]);
    assert_eq!(r, Err(Error::DataNack { op: 0, index: 1 }));
    assert_clean_end(i2c.regs_mut());
}

#[test]
fn async_write_read_is_woken_by_the_interrupt() {
    let sim = sim();
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config()).unwrap();
    let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
    let (r, irqs) = run(&sim, &signal, i2c.write(EEPROM, &[0x20, 1, 2, 3]));
    r.unwrap();
    assert_eq!(irqs, 5, "one interrupt per command: address and four bytes");
    let mut buf = [0; 3];
    let (r, _) = run(&sim, &signal, i2c.write_read(EEPROM, &[0x20], &mut buf));
    r.unwrap();
    assert_eq!(buf, [1, 2, 3]);
    let mut m = sim.regs.0.borrow_mut();
    assert_clean_end(&mut m);
    let (r, _) = {
        drop(m);
        run(&sim, &signal, i2c.write(ABSENT, &[]))
    };
    assert_eq!(r, Err(Error::AddressNack));
}

#[test]
fn async_ten_bit_and_errors() {
    let sim = sim();
    sim.regs
        .0
        .borrow_mut()
        .attach_ten_bit(0x155, sifive_i2c_hal::model::Eeprom24c02::new());
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config()).unwrap();
    let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
    let (r, _) = run(
        &sim,
        &signal,
        embedded_hal_async::i2c::I2c::<u16>::write(&mut i2c, 0x155, &[0, 9]),
    );
    r.unwrap();
    let mut buf = [0; 1];
    let (r, _) = run(
        &sim,
        &signal,
        embedded_hal_async::i2c::I2c::<u16>::write_read(&mut i2c, 0x155, &[0], &mut buf),
    );
    r.unwrap();
    assert_eq!(buf, [9]);
    sim.regs.0.borrow_mut().inject(Fault::ArbitrationLoss(1));
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0, 1]));
    assert_eq!(r, Err(Error::ArbitrationLoss));
    assert_clean_end(&mut sim.regs.0.borrow_mut());
}

#[test]
fn async_wait_times_out_on_a_stuck_controller_and_recovers() {
    let sim = sim();
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config().with_wait_budget_us(500)).unwrap();
    let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
    sim.regs.0.borrow_mut().inject(Fault::TipStuck);
    let start = sim.now.get();
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x10, 1]));
    assert_eq!(r, Err(Error::Timeout));
    let waited = sim.now.get() - start;
    assert!((500..600).contains(&waited), "timed out after {waited} us");
    {
        let mut m = sim.regs.0.borrow_mut();
        assert_eq!(m.events().last(), Some(&Event::Stop));
        assert!(m.bus_idle());
        m.take_guest_errors();
    }
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x10, 1]));
    r.unwrap();
}

#[test]
fn async_path_costs_five_accesses_per_byte() {
    let cost = |n: usize| {
        let sim = sim();
        let signal = IrqSignal::new();
        let counted = Counting::new(sim.regs.clone());
        let i2c = I2c::new(counted, config()).unwrap();
        let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
        let data = vec![0x5a; n];
        let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &data));
        r.unwrap();
        let m = sim.regs.0.borrow();
        m.reads() + m.writes()
    };
    // Task: TXR, CR, CTR (unmask); handler: SR, CTR (mask).
    assert_eq!(cost(17) - cost(16), 5);
}

#[test]
fn async_on_the_fu540_polls_with_yields() {
    let mut m = Model::new_fu540();
    m.attach(EEPROM, sifive_i2c_hal::model::Eeprom24c02::new());
    let sim = sim_with(m);
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config().with_fu540_c000_erratum(true)).unwrap();
    let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
    let mut buf = [0; 2];
    let (r, irqs) = run(&sim, &signal, async {
        i2c.write(EEPROM, &[0x30, 4, 5]).await?;
        i2c.write_read(EEPROM, &[0x30], &mut buf).await
    });
    r.unwrap();
    assert_eq!(buf, [4, 5]);
    assert_eq!(irqs, 0);
}

/// A simulated machine set up for the one-shot protocol.
fn oneshot_sim() -> Sim {
    let sim = sim();
    sim.oneshot.set(true);
    sim
}

#[test]
fn async_oneshot_write_read_takes_one_interrupt_per_command() {
    let sim = oneshot_sim();
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config()).unwrap();
    let mut i2c = AsyncI2c::with_irq_line(i2c, &signal, Delay(&sim), SimLine(&sim));
    let (r, irqs) = run(&sim, &signal, i2c.write(EEPROM, &[0x20, 1, 2, 3]));
    r.unwrap();
    assert_eq!(irqs, 5, "one interrupt per command: address and four bytes");
    let mut buf = [0; 3];
    let (r, irqs) = run(&sim, &signal, i2c.write_read(EEPROM, &[0x20], &mut buf));
    r.unwrap();
    assert_eq!(buf, [1, 2, 3]);
    assert_eq!(irqs, 6, "address, word address, address, three bytes");
    assert!(!sim.held.get(), "the interrupt is left masked");
    let mut m = sim.regs.0.borrow_mut();
    assert!(!m.irq_line(), "IF left set");
    assert_clean_end(&mut m);
}

#[test]
fn async_oneshot_costs_three_accesses_per_byte() {
    let cost = |n: usize| {
        let sim = oneshot_sim();
        let signal = IrqSignal::new();
        let i2c = I2c::new(sim.regs.clone(), config()).unwrap();
        let mut i2c = AsyncI2c::with_irq_line(i2c, &signal, Delay(&sim), SimLine(&sim));
        let data = vec![0x5a; n];
        let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &data));
        r.unwrap();
        let m = sim.regs.0.borrow();
        m.reads() + m.writes()
    };
    // Handler: SR; task: TXR, CR (with IACK).
    assert_eq!(cost(17) - cost(16), 3);
}

#[test]
fn async_oneshot_errors_end_with_stop_and_the_line_armed() {
    let sim = oneshot_sim();
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config().with_wait_budget_us(500)).unwrap();
    let mut i2c = AsyncI2c::with_irq_line(i2c, &signal, Delay(&sim), SimLine(&sim));
    let (r, _) = run(&sim, &signal, i2c.write(ABSENT, &[1]));
    assert_eq!(r, Err(Error::AddressNack));
    sim.regs.0.borrow_mut().inject(Fault::NackData(1));
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x10, 1, 2]));
    assert_eq!(r, Err(Error::DataNack { op: 0, index: 1 }));
    sim.regs.0.borrow_mut().inject(Fault::ArbitrationLoss(1));
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x10, 1]));
    assert_eq!(r, Err(Error::ArbitrationLoss));
    sim.regs.0.borrow_mut().inject(Fault::TipStuck);
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x10, 1]));
    assert_eq!(r, Err(Error::Timeout));
    sim.regs.0.borrow_mut().take_guest_errors();
    for _ in 0..10 {
        sim.regs.0.borrow_mut().tick();
    }
    assert!(!sim.held.get(), "the interrupt is left masked");
    assert!(!sim.regs.0.borrow().irq_line(), "IF left set");
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x10, 7]));
    r.unwrap();
    let mut buf = [0; 1];
    let (r, _) = run(&sim, &signal, i2c.write_read(EEPROM, &[0x10], &mut buf));
    r.unwrap();
    assert_eq!(buf, [7]);
    assert_clean_end(&mut sim.regs.0.borrow_mut());
}

/// The one-shot protocol when the interrupt of a command is taken between the task's
/// rearm and its wait, on an interrupt controller that does not present a line again that
/// stayed high across the claim (QEMU's sifive_plic): the task must still see the
/// completion, without waiting out its timeout.
#[test]
fn async_oneshot_survives_an_interrupt_before_the_wait() {
    for edge in [false, true] {
        let sim = oneshot_sim();
        sim.edge.set(edge);
        let signal = IrqSignal::new();
        let i2c = I2c::new(sim.regs.clone(), config()).unwrap();
        let mut i2c = AsyncI2c::with_irq_line(i2c, &signal, Delay(&sim), RacyLine(&sim, &signal));
        let start = sim.now.get();
        let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x30, 9, 8]));
        assert_eq!(r, Ok(()), "write, edge: {edge}");
        let mut buf = [0; 2];
        let (r, _) = run(&sim, &signal, i2c.write_read(EEPROM, &[0x30], &mut buf));
        assert_eq!(r, Ok(()), "edge: {edge}");
        assert_eq!(buf, [9, 8]);
        // Far below one wait budget (Config's default, 10 ms): no wait timed out.
        assert!(
            sim.now.get() - start < 5_000,
            "edge {edge}: {} us",
            sim.now.get() - start
        );
        let mut m = sim.regs.0.borrow_mut();
        assert!(!m.irq_line(), "IF left set");
        assert_clean_end(&mut m);
    }
}
