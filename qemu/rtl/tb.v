// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Co-simulation bench of the OpenCores I2C master (i2c_master_top, not in
// this repository: scripts/rtl-diff compiles it from the RTL directory) with
// sim_eeprom (eeprom.v) at 0x50 on a pulled-up bus. It runs the register
// programs of the file named by +prog=FILE, one op a line:
//
//   P          a new program: reset the core and the target (wb_rst_i)
//   W REG VAL  a wishbone write of VAL (hex) to register REG (0..4)
//   R REG      a wishbone read of register REG
//   D N        N wishbone clocks pass
//   S          wait until the byte controller is idle, CR holds no command
//              and BUSY has followed the wires (at most 200,000 clocks;
//              after that the program's later S ops do not wait)
//   E          the end of a program: dump the target's memory
//
// The target's memory starts as zeros, or as the file named by +mem=FILE
// ($readmemh), and survives the resets. The bench prints, in time order: for
// every op but P and E, "o PHASE" or, for R, "r PHASE VAL IRQ" (IRQ: the
// interrupt output after the read), PHASE being where the core was when the
// op began (I idle, J idle for fewer clocks than BUSY takes to follow the
// wires, C a command written but not started, S a START, D a data byte, A its
// ACK bit, T a STOP); "e S", "e P" and "e B BYTE ACK" for a START, a STOP and
// nine SCL pulses (ACK 1 when SDA was low at the ninth) seen on the wires,
// "e H" for a STOP command that ended with a target holding SDA low, "e K"
// for a START command during which no START reached the wires, "e W" for a
// register write in the clock a command completed, "e A" when the core lost
// arbitration; "t" when S timed out; "m HEX" with the 256 bytes of
// the target's memory at E; "x" at the end of the file.
`timescale 1ns / 10ps

module tb;
	reg clk = 0;
	reg rst = 0;
	reg arst = 1;
	reg [2:0] adr = 0;
	reg [7:0] dat_i = 0;
	reg we = 0, stb = 0, cyc = 0;
	wire [7:0] dat_o;
	wire ack, inta;
	wire scl_o, scl_oen, sda_o, sda_oen;
	tri1 scl, sda;

	always #50 clk = ~clk;

	assign scl = scl_oen ? 1'bz : scl_o;
	assign sda = sda_oen ? 1'bz : sda_o;

	i2c_master_top dut (
		.wb_clk_i(clk), .wb_rst_i(rst), .arst_i(arst),
		.wb_adr_i(adr), .wb_dat_i(dat_i), .wb_dat_o(dat_o),
		.wb_we_i(we), .wb_stb_i(stb), .wb_cyc_i(cyc), .wb_ack_o(ack),
		.wb_inta_o(inta),
		.scl_pad_i(scl), .scl_pad_o(scl_o), .scl_padoen_o(scl_oen),
		.sda_pad_i(sda), .sda_pad_o(sda_o), .sda_padoen_o(sda_oen)
	);

	sim_eeprom #(.ADDR(7'h50)) target (.rst(rst), .scl(scl), .sda(sda));

	// The bus monitor: what a logic analyser on the two wires shows.
	reg live = 0;		// set by the first P: no events before it
	reg [3:0] bits = 0;
	reg [8:0] word = 0;
	always @(negedge sda)
		if (scl === 1'b1 && !rst && live) begin
			$display("e S");
			bits = 0;
		end
	always @(posedge sda)
		if (scl === 1'b1 && !rst && live) begin
			$display("e P");
			bits = 0;
		end
	always @(posedge scl)
		if (!rst && live) begin
			word = {word[7:0], sda !== 1'b0};
			bits = bits + 1;
			if (bits == 9) begin
				$display("e B %02x %0d", word[8:1], !word[0]);
				bits = 0;
			end
		end

	// Clocks the core has been idle for: its bus monitor (BUSY) follows the
	// wires through a synchroniser and a filter of 3 * (PRER / 4 + 1) clocks,
	// so BUSY changes a few clocks after the command that moved it ended.
	integer idle_for = 0;
	wire idle = dut.byte_controller.c_state == 0 && dut.cr[6:4] == 0;
	always @(posedge clk)
		idle_for <= idle ? idle_for + 1 : 0;
	function settled;
		input dummy;
		settled = idle_for >= 8 + 4 * ((dut.prer >> 2) + 1);
	endfunction

	// A STOP command that ends with SDA still low: a target holds it, so no
	// STOP reached the wires (the command's SCL pulse clocked the target).
	always @(posedge clk)
		if (live && dut.byte_controller.c_state == 5'b1_0000
		    && dut.byte_controller.core_ack && sda === 1'b0)
			$display("e H");

	// A START command during which no START reached the wires: a target
	// held SDA low (its clock pulse clocked the target's bit out).
	reg saw_sta = 0;
	always @(negedge sda)
		if (scl === 1'b1)
			saw_sta = 1;
	always @(posedge clk)
		if (dut.byte_controller.c_state != 5'b0_0001)
			saw_sta = 0;
		else if (live && dut.byte_controller.core_ack && !saw_sta)
			$display("e K");

	// A register write in the clock the command completes: i2c_master_top
	// then skips clearing CR's command bits, so the command runs again.
	always @(posedge clk)
		if (live && dut.wb_wacc && (dut.done || dut.i2c_al))
			$display("e W");

	// Arbitration lost.
	always @(posedge clk)
		if (live && dut.i2c_al)
			$display("e A");

	function [7:0] phase;
		input dummy;
		begin
			case (dut.byte_controller.c_state)
			5'b0_0000: phase = (dut.cr[6:4] != 0) ? "C"
				: settled(0) ? "I" : "J";
			5'b0_0001: phase = "S";
			5'b0_0010, 5'b0_0100: phase = "D";
			5'b0_1000: phase = "A";
			default: phase = "T";
			endcase
		end
	endfunction

	task wb_write;
		input [2:0] a;
		input [7:0] d;
		begin
			@(posedge clk);
			#1 adr = a; dat_i = d; we = 1; stb = 1; cyc = 1;
			@(posedge clk);
			while (!ack)
				@(posedge clk);
			#1 we = 0; stb = 0; cyc = 0;
		end
	endtask

	task wb_read;
		input [2:0] a;
		output [7:0] d;
		begin
			@(posedge clk);
			#1 adr = a; we = 0; stb = 1; cyc = 1;
			@(posedge clk);
			while (!ack)
				@(posedge clk);
			d = dat_o;
			#1 stb = 0; cyc = 0;
		end
	endtask

	integer fd, n, i, arg1, arg2, waited;
	reg hung = 0;
	reg [7:0] op, ph, val;
	reg [8*256-1:0] path;

	initial begin
		if (!$value$plusargs("prog=%s", path)) begin
			$display("tb: no +prog=FILE");
			$finish;
		end
		fd = $fopen(path, "r");
		if (fd == 0) begin
			$display("tb: cannot open the program file");
			$finish;
		end
		if ($value$plusargs("mem=%s", path))
			$readmemh(path, target.mem);
		#1 arst = 0;
		#200 arst = 1;
		while (!$feof(fd)) begin
			n = $fscanf(fd, " %c", op);
			if (n == 1) begin
				@(posedge clk);
				ph = phase(0);
				case (op)
				"P": begin
					#1 rst = 1;
					repeat (4) @(posedge clk);
					#1 rst = 0;
					bits = 0;
					live = 1;
					hung = 0;
				end
				"W": begin
					n = $fscanf(fd, " %d %h", arg1, arg2);
					$display("o %c", ph);
					wb_write(arg1, arg2);
				end
				"R": begin
					n = $fscanf(fd, " %d", arg1);
					wb_read(arg1, val);
					$display("r %c %02x %0d", ph, val, inta);
				end
				"D": begin
					n = $fscanf(fd, " %d", arg1);
					$display("o %c", ph);
					repeat (arg1) @(posedge clk);
				end
				"S": begin
					$display("o %c", ph);
					waited = 0;
					while (!(idle && settled(0)) && !hung) begin
						@(posedge clk);
						waited = waited + 1;
						if (waited >= 200000) begin
							$display("t");
							hung = 1;
						end
					end
				end
				"E": begin
					$write("m ");
					for (i = 0; i < 256; i = i + 1)
						$write("%02x", target.mem[i]);
					$write("\n");
				end
				default: begin
					$display("tb: bad op %c", op);
					$finish;
				end
				endcase
			end
		end
		$display("x");
		$finish;
	end
endmodule
