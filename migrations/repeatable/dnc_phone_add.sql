-- Put a phone on our DNC list; adding it twice keeps the first reason. Answers whether it is new.
CREATE OR REPLACE FUNCTION dnc_phone_add(dnc_phone text, dnc_reason text, dnc_source text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dnc_phones (phone, reason, source) VALUES (dnc_phone, dnc_reason, dnc_source)
  ON CONFLICT (phone) DO NOTHING;
  RETURN FOUND;
END $$;
