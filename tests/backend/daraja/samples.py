# ruff: noqa: E501 - sample payloads stay on the lines Daraja and the reference put them
"""Every inbound sample payload from REFERENCE.md (§4, §5, §6, §7), as Daraja sent them.

Where the reference elides values (`...`), the gap is filled with the keys and types the same
section lists, so each sample is a complete body Daraja could send.
"""

from __future__ import annotations

# §4: STK callback, paid (2019 shape: Amount 1.00, value-less Balance, numeric date and phone).
STK_PAID = """{"Body": {"stkCallback": {
  "MerchantRequestID": "29115-34620561-1",
  "CheckoutRequestID": "ws_CO_191220191020363925",
  "ResultCode": 0,
  "ResultDesc": "The service request is processed successfully.",
  "CallbackMetadata": {"Item": [
    {"Name": "Amount", "Value": 1.00},
    {"Name": "MpesaReceiptNumber", "Value": "NLJ7RT61SV"},
    {"Name": "Balance"},
    {"Name": "TransactionDate", "Value": 20191219102115},
    {"Name": "PhoneNumber", "Value": 254708374149}]}}}}"""

# §4: STK callback, cancelled: no CallbackMetadata at all.
STK_CANCELLED = """{"Body": {"stkCallback": {"MerchantRequestID": "f1e2-4b95-a71d-b30d3cdbb7a7942864",
  "CheckoutRequestID": "ws_CO_21072024125243250722943992", "ResultCode": 1032,
  "ResultDesc": "Request cancelled by user"}}}"""

# §6.2: C2B validation/confirmation (v2, masked MSISDN).
C2B_CONFIRMATION = """{"TransactionType": "Pay Bill", "TransID": "RKL51ZDR4F",
 "TransTime": "20231121121325", "TransAmount": "5.00", "BusinessShortCode": "600966",
 "BillRefNumber": "Sample Transaction", "InvoiceNumber": "", "OrgAccountBalance": "25.00",
 "ThirdPartyTransID": "", "MSISDN": "2547 ***** 126", "FirstName": "NICHOLAS",
 "MiddleName": "", "LastName": ""}"""

# §6.2: 2021 production capture variant: nulls, plain MSISDN, Buy Goods.
C2B_WITH_NULLS = """{"TransactionType": "Buy Goods", "TransID": "PI8ABCDE12",
 "TransTime": "20210908101010", "TransAmount": "200.00", "BusinessShortCode": "300301",
 "BillRefNumber": "", "InvoiceNumber": null, "OrgAccountBalance": "", "ThirdPartyTransID": null,
 "MSISDN": "254708374149", "FirstName": "JANE", "MiddleName": null, "LastName": null}"""

# §7.2 + §7.3: B2C result, success (numeric ResultCode, ReferenceItem as one object).
B2C_RESULT = """{"Result": {
  "ResultType": 0, "ResultCode": 0, "ResultDesc": "The service request is processed successfully.",
  "OriginatorConversationID": "600997_Test_32et3241ed8yu",
  "ConversationID": "AG_20240706_20106e9209f64bebd05b", "TransactionID": "SG632NMUAB",
  "ResultParameters": {"ResultParameter": [
    {"Key": "TransactionAmount", "Value": 10},
    {"Key": "TransactionReceipt", "Value": "SG632NMUAB"},
    {"Key": "ReceiverPartyPublicName", "Value": "254708374149 - JOHN DOE"},
    {"Key": "TransactionCompletedDateTime", "Value": "06.07.2024 22:48:52"},
    {"Key": "B2CUtilityAccountAvailableFunds", "Value": 10116.00},
    {"Key": "B2CWorkingAccountAvailableFunds", "Value": -900.00},
    {"Key": "B2CRecipientIsRegisteredCustomer", "Value": "Y"},
    {"Key": "B2CChargesPaidAccountAvailableFunds", "Value": 0.00}]},
  "ReferenceData": {"ReferenceItem": {"Key": "QueueTimeoutURL",
    "Value": "https://internalsandbox.safaricom.co.ke/mpesa/b2cresults/v1/submit"}}}}"""

# §7.2: failure: ResultParameters absent, code 2001.
B2C_FAILED = """{"Result": {"ResultType": 0, "ResultCode": 2001,
  "ResultDesc": "The initiator information is invalid.",
  "OriginatorConversationID": "29112-34801843-1", "ConversationID": "AG_20191219_00006c6fddb15123addf",
  "TransactionID": "NLJ0000000",
  "ReferenceData": {"ReferenceItem": {"Key": "QueueTimeoutURL", "Value": "https://example.com/timeout"}}}}"""

# §7.7: B2B result: string ResultCode, ReferenceItem as a list, Java-style balance string.
B2B_RESULT = """{"Result": {"ResultType": "0", "ResultCode": "0",
  "ResultDesc": "The service request is processed successfully.",
  "OriginatorConversationID": "626f6ddf-ab37-4650-b882-b1de92ec9aa4",
  "ConversationID": "12345677dfdf89099B3", "TransactionID": "QKA81LK5CY",
  "ResultParameters": {"ResultParameter": [
    {"Key": "DebitAccountBalance", "Value": "{Amount={CurrencyCode=KES, MinimumAmount=618683, BasicAmount=6186.83}}"},
    {"Key": "Amount", "Value": "190.00"},
    {"Key": "DebitPartyAffectedAccountBalance", "Value": "Working Account|KES|346568.83|6186.83|340382.00|0.00"},
    {"Key": "TransCompletedTime", "Value": "20221110110717"},
    {"Key": "DebitPartyCharges", "Value": ""},
    {"Key": "ReceiverPartyPublicName", "Value": "000000 - Biller Companty"},
    {"Key": "Currency", "Value": "KES"}]},
  "ReferenceData": {"ReferenceItem": [
    {"Key": "BillReferenceNumber", "Value": "19008"},
    {"Key": "QueueTimeoutURL", "Value": "https://mydomain.com/b2b/businessbuygoods/queue/"},
    {"Key": "Occasion"}]}}}"""

# §7.5: Account balance result: string code, the `&`/`|` packed balances.
BALANCE_RESULT = """{"Result": {"ResultType": 0, "ResultCode": "0",
  "ResultDesc": "The service request is processed successfully.",
  "OriginatorConversationID": "16917-22577599-3", "ConversationID": "AG_20200206_00005e091a8ec6b9eac5",
  "TransactionID": "OA90000000",
  "ResultParameters": {"ResultParameter": [
    {"Key": "AccountBalance", "Value": "Working Account|KES|700000.00|700000.00|0.00|0.00&Float Account|KES|0.00|0.00|0.00|0.00&Utility Account|KES|228037.00|228037.00|0.00|0.00&Charges Paid Account|KES|-1540.00|-1540.00|0.00|0.00&Organization Settlement Account|KES|0.00|0.00|0.00|0.00"},
    {"Key": "BOCompletedTime", "Value": 20200109125710}]},
  "ReferenceData": {"ReferenceItem": {"Key": "QueueTimeoutURL", "Value": "https://internalsandbox.safaricom.co.ke/mpesa/abresults/v1/submit"}}}}"""

# §7.6: Reversal failure with a non-numeric code.
REVERSAL_FAILED = """{"Result": {"ResultType": 0, "ResultCode": "R000002",
  "ResultDesc": "The OriginalTransactionID is invalid.",
  "OriginatorConversationID": "8521-4298025-1", "ConversationID": "AG_20181005_00004d7ee675c0c7ee0b",
  "TransactionID": "MJ561H6X5O",
  "ReferenceData": {"ReferenceItem": {"Key": "QueueTimeoutURL", "Value": "https://internalsandbox.safaricom.co.ke/mpesa/reversalresults/v1/submit"}}}}"""

# §7.4: Transaction status result, including a value-less TransactionReason.
STATUS_RESULT = """{"Result": {"ResultType": 0, "ResultCode": 0,
  "ResultDesc": "The service request is processed successfully.",
  "OriginatorConversationID": "1236-7134259-1", "ConversationID": "AG_20210709_1234409f86436c583e3f",
  "TransactionID": "SEI0000000",
  "ResultParameters": {"ResultParameter": [
    {"Key": "DebitPartyName", "Value": "600610 - Safaricom333"},
    {"Key": "CreditPartyName", "Value": "254708374149 - John Doe"},
    {"Key": "OriginatorConversationID", "Value": "12337-23509183-5"},
    {"Key": "InitiatedTime", "Value": 20210709124530},
    {"Key": "DebitAccountType", "Value": "Utility Account"},
    {"Key": "DebitPartyCharges", "Value": "Fee For B2C Payment|KES|22.40"},
    {"Key": "TransactionReason"},
    {"Key": "ReasonType", "Value": "Business Payment to Customer via API"},
    {"Key": "TransactionStatus", "Value": "Completed"},
    {"Key": "FinalisedTime", "Value": 20210709124530},
    {"Key": "Amount", "Value": 10.0},
    {"Key": "ConversationID", "Value": "AG_20210709_12346c8e6f8858d7b70a"},
    {"Key": "ReceiptNo", "Value": "PG9123456X"}]},
  "ReferenceData": {"ReferenceItem": {"Key": "Occasion"}}}}"""
