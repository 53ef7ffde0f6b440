resource "terraform_data" "equal" {
  input = {
    exactly              = "x" == "x"
    not                  = "x" == "y"
    type_mismatch_number = "2" == 2
    type_mismatch_bool   = "false" == false
  }
}

resource "terraform_data" "not_equal" {
  input = {
    exactly              = "x" != "x"
    not                  = "x" != "y"
    type_mismatch_number = "2" != 2
    type_mismatch_bool   = "false" != false
  }
}

resource "terraform_data" "inequality" {
  input = {
    lt_less    = 3 < 4
    lt_greater = 4 < 3
    lt_equal   = 3 < 3
    le_less    = 3 <= 4
    le_greater = 4 <= 3
    le_equal   = 3 <= 3
    gt_less    = 3 > 4
    gt_greater = 4 > 3
    gt_equal   = 3 > 3
    ge_less    = 3 >= 4
    ge_greater = 4 >= 3
    ge_equal   = 3 >= 3
  }
}

resource "terraform_data" "arithmetic" {
  input = {
    add      = 3 + 4.5
    add_big  = 2.71828182845904523536028747135266249775724709369995957496696762 + 1
    sub      = 4.5 - 3
    sub_neg  = 3 - 4.5
    mul      = 3 * 2.5
    div      = 1 / 4
    mod      = 13 % 5
    mod_frac = 13 % 5.5
  }
}

resource "terraform_data" "logical" {
  input = {
    and_tt = true && true
    and_tf = true && false
    and_ft = false && true
    and_ff = false && false
    or_tt  = true || true
    or_tf  = true || false
    or_ft  = false || true
    or_ff  = false || false
    not_t  = !true
    not_f  = !false
  }
}

resource "terraform_data" "conditional" {
  input = {
    when_true  = true ? "yes" : "no"
    when_false = false ? "yes" : "no"
  }
}
